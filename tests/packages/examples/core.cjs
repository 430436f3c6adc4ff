const { ChatError, select, chatEvents } = require('@rapport/core')

const error = new ChatError('VALIDATION', 'bad input')
if (!(error instanceof Error) || error.code !== 'VALIDATION') throw new Error('ChatError')
if (typeof select !== 'function' || typeof chatEvents !== 'function') throw new Error('selectors')
console.log('ok core cjs')
