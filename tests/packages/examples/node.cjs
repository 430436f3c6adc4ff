const { createMemoryStorage, createNodeEnv, createCustomerClient } = require('@rapport/node')

const env = createNodeEnv(createMemoryStorage ? { storage: createMemoryStorage() } : {})
if (typeof env.createSocket !== 'function' || typeof createCustomerClient !== 'function') throw new Error('env')
console.log('ok node cjs')
