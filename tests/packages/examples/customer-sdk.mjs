import * as CustomerSDK from '@rapport/customer-sdk'

if (typeof CustomerSDK.init !== 'function') throw new Error('init')
const error = new CustomerSDK.ChatError('VALIDATION')
if (error.code !== 'VALIDATION') throw new Error('ChatError')
console.log('ok customer-sdk esm')
