// The packed customer SDK against the packed server's bin (SERVER_URL), on Node 20 with `ws`.
import { WebSocket } from 'ws'
import * as CustomerSDK from '@rapport/customer-sdk'

globalThis.WebSocket ??= WebSocket
const customerSDK = CustomerSDK.init({ organizationId: 'my-org', clientId: 'my-app', serverUrl: process.env.SERVER_URL })
const timer = setTimeout(() => {
  console.error('no answer within 15 s')
  process.exit(1)
}, 15_000)
const { customer } = await new Promise((resolve) => customerSDK.once('connected', resolve))
const { chat } = await customerSDK.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hello from a fresh project' }] } } })
const sent = await customerSDK.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Are you there?' } })
const texts = chat.thread.events.filter((event) => event.type === 'message').map((event) => event.text)
if (!texts.includes('Hello from a fresh project') || typeof sent.id !== 'string') throw new Error(`unexpected ${JSON.stringify({ texts, sent })}`)
clearTimeout(timer)
customerSDK.destroy()
console.log(`ok customer ${customer.id} chat ${chat.id} event ${sent.id}`)
