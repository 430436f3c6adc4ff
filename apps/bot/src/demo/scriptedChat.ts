/**
 * The scripted customer of the demo: a customer client (Node) that chats with the bot
 * through the local server and prints the transcript, one line per event.
 */
import { nextEvent } from '@rapport/core'
import { createCustomerClient } from '@rapport/node'
import type { ChatEvent } from '@rapport/protocol'
import { formatLine } from '../transcript'

export const SCRIPT = ['Hello!', 'Can you tell me where my order is?', 'Thanks, bye!']

export const runScriptedChat = async (options: { serverUrl: string; organizationId: string; print?: (line: string) => void }): Promise<void> => {
  const log = options.print ?? console.log
  const customer = createCustomerClient({ organizationId: options.organizationId, clientId: 'rapport-demo', serverUrl: options.serverUrl })
  try {
    const printed = new Set<string>()
    const print = (event: ChatEvent) => {
      if (printed.has(event.id)) return
      printed.add(event.id)
      log(formatLine(event, customer.state.getSnapshot().users))
    }
    customer.on('incoming_event', ({ event }) => print(event))
    customer.on('connected', ({ customer: me }) => log(`Customer ${me.id} connected\n`))
    await customer.whenStatus('connected')

    const agentReply = () => nextEvent(customer, 'incoming_event')
    const [first, ...rest] = SCRIPT
    const reply = agentReply()
    const { chat } = await customer.startChat({ chat: { thread: { events: [{ type: 'message', text: first as string }] } } })
    for (const event of chat.thread?.events ?? []) print(event)
    await reply
    for (const text of rest) {
      const answer = agentReply()
      print(await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text } }))
      await answer
    }
    const closed = nextEvent(customer, 'chat_deactivated')
    await customer.deactivateChat({ id: chat.id })
    await closed
    log('\nChat closed. Transcript complete.')
  } finally {
    customer.destroy()
  }
}
