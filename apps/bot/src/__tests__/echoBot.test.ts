import { nextEvent } from '@rapport/core'
import { createCustomerClient } from '@rapport/node'
import { createServer } from '@rapport/server'
import { describe, expect, it } from 'vitest'
import { defaultReply, startEchoBot } from '../echoBot'
import { formatLine } from '../transcript'

describe('echo bot', () => {
  it('answers the message a chat starts with, and every later one', async () => {
    const server = await createServer({ port: 0 })
    const { access_token } = server.admin.issueAgentToken('bot@rapport.local', 'bot-org')
    const bot = startEchoBot({ serverUrl: server.url, organizationId: 'bot-org', accessToken: access_token })
    const customer = createCustomerClient({ organizationId: 'bot-org', clientId: 'test', serverUrl: server.url })
    try {
      await bot.client.whenStatus('connected')
      await customer.whenStatus('connected')
      const firstReply = nextEvent(customer, 'incoming_event')
      const { chat } = await customer.startChat({ chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } })
      expect((await firstReply).event).toMatchObject({ type: 'message', text: defaultReply('hello'), authorId: 'bot@rapport.local' })
      const secondReply = nextEvent(customer, 'incoming_event')
      const sent = await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'any news?' } })
      const reply = await secondReply
      expect(reply.event).toMatchObject({ text: defaultReply('any news?') })
      expect(formatLine(sent, customer.state.getSnapshot().users)).toMatch(/\] Customer: any news\?$/)
      expect(formatLine(reply.event, customer.state.getSnapshot().users)).toMatch(/\] Rapport Bot: /)
    } finally {
      customer.destroy()
      bot.stop()
      await server.close()
    }
  })

  it('answers the question of a prechat form a chat starts with', async () => {
    const server = await createServer({ port: 0 })
    const { access_token } = server.admin.issueAgentToken('bot@rapport.local', 'bot-org')
    const bot = startEchoBot({ serverUrl: server.url, organizationId: 'bot-org', accessToken: access_token })
    const customer = createCustomerClient({ organizationId: 'bot-org', clientId: 'test', serverUrl: server.url })
    try {
      await bot.client.whenStatus('connected')
      await customer.whenStatus('connected')
      const reply = nextEvent(customer, 'incoming_event')
      const fields = [
        { type: 'name', id: '1', label: 'Name:', answer: 'Ada' },
        { type: 'question', id: '2', label: 'Question:', answer: 'Where is my order?' },
      ]
      await customer.startChat({ chat: { thread: { events: [{ type: 'filled_form', formId: 'prechat', formType: 'prechat', fields }] } } })
      expect((await reply).event).toMatchObject({ type: 'message', text: defaultReply('Where is my order?'), authorId: 'bot@rapport.local' })
    } finally {
      customer.destroy()
      bot.stop()
      await server.close()
    }
  })
})
