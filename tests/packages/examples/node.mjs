import { createCustomerClient } from '@rapport/node'
import { startServer } from '@rapport/server'

const server = await startServer()
const customer = createCustomerClient({ organizationId: 'my-org', clientId: 'my-app', serverUrl: server.url })
const connected = await new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error(`not connected: ${customer.status}`)), 10_000).unref()
  customer.on('connected', resolve)
})
if (typeof connected.customer.id !== 'string') throw new Error('customer')
const { chat } = await customer.startChat()
customer.destroy()
await server.close()
console.log(`ok node esm (chat ${chat.id})`)
