import { ChatError, createCustomerClient } from '@rapport/core'

// Node 20 has no global WebSocket: core says so (Node code takes @rapport/node)
try {
  createCustomerClient({ organizationId: 'o', clientId: 'c' })
  if (typeof globalThis.WebSocket !== 'function') throw new Error('expected a clear error without a WebSocket')
} catch (error) {
  if (!/@rapport\/node/.test(String(error))) throw error
}
const error = new ChatError('VALIDATION', 'bad input')
if (!(error instanceof Error) || error.code !== 'VALIDATION') throw new Error('ChatError')
console.log('ok core esm')
