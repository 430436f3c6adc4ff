const fc = require('fast-check')
const { chatArb, ManualClock } = require('@rapport/testing')
const { createFaultProxy } = require('@rapport/testing/node')

if (fc.sample(chatArb, 3).length !== 3) throw new Error('chatArb')
if (typeof new ManualClock().now !== 'function' || typeof createFaultProxy !== 'function') throw new Error('testing')
console.log('ok testing cjs')
