const CustomerSDK = require('@rapport/customer-sdk')

if (typeof CustomerSDK.init !== 'function') throw new Error('init')
const path = require.resolve('@rapport/customer-sdk/package.json')
const script = require('node:path').join(path, '..', require(path).unpkg)
if (!require('node:fs').existsSync(script)) throw new Error(`no script-tag build at ${script}`)
console.log('ok customer-sdk cjs')
