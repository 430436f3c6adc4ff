/**
 * The demo bot end to end against the local server (in-process), over both transports:
 * Web API + webhooks (set up as on the platform) and RTM. A customer is greeted by name
 * from the CRM record, clicks a quick reply, asks an FAQ, gives an email when asked, and
 * asks for a human.
 */
import { nextEvent } from '@rapport/core'
import { createCustomerClient, silentLogger } from '@rapport/node'
import type { ChatEvent } from '@rapport/protocol'
import { createServer } from '@rapport/server'
import { afterEach, describe, expect, it } from 'vitest'
import { FAQ } from '../faq'
import { createDemoCredentials, demoServerOptions, startDemoBot } from '../startDemoBot'
import { formatLine } from '../transcript'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const answerOf = (id: string) => FAQ.find((t) => t.id === id)?.answer ?? ''

describe.each(['webhooks', 'rtm'] as const)('the demo bot over %s', (transport) => {
  it('greets by the CRM name, answers a quick reply and an FAQ, asks for an email, hands off to a human', async () => {
    const credentials = createDemoCredentials()
    const server = await createServer({ port: 0, ...demoServerOptions(credentials) })
    cleanups.push(() => server.close())
    const bot = await startDemoBot({ serverUrl: server.url, transport, credentials, typingMs: 5, logger: silentLogger })
    cleanups.push(() => bot.stop())

    const customer = createCustomerClient({ organizationId: credentials.organizationId, clientId: 'demo-test', serverUrl: server.url })
    cleanups.push(() => customer.destroy())
    await customer.whenStatus('connected')
    await customer.updateCustomer({ name: 'Ada' })

    const fromBot: ChatEvent[] = []
    let typing = 0
    const me = () => customer.state.getSnapshot().customer?.id
    customer.on('incoming_event', ({ event }) => {
      if (event.authorId !== me() && event.authorId !== 'system') fromBot.push(event)
    })
    customer.on('incoming_typing_indicator', ({ typingIndicator }) => {
      if (typingIndicator.isTyping) typing += 1
    })
    let taken = 0
    /** The bot's next event (they are checked in order). */
    const nextFromBot = async (): Promise<ChatEvent> => {
      const deadline = Date.now() + 5_000
      while (fromBot.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no reply from the bot; it said ${JSON.stringify(fromBot.map((e) => formatLine(e, {})))}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const event = fromBot[taken++]
      if (!event) throw new Error('unreachable')
      return event
    }
    const expectText = async (text: string | RegExp) => {
      const event = await nextFromBot()
      expect(event.type === 'message' ? event.text : event.type).toMatch(text)
      return event
    }

    // greeted by the name in the CRM record, with the menu; the first "hello" needs no other answer
    const { chat } = await customer.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hello!' }] } } })
    const menu = await nextFromBot()
    expect(menu).toMatchObject({ type: 'rich_message', template: 'quick_replies' })
    if (menu.type !== 'rich_message' || !menu.threadId) throw new Error('no menu')
    expect(menu.elements[0]?.title).toMatch(/^Hi Ada! I'm the Rapport demo bot/)
    expect(typing).toBeGreaterThan(0)
    const shipping = menu.elements[0]?.buttons?.find((b) => b.postbackId === 'faq:shipping')
    expect(shipping?.text).toBe('Shipping')

    // a quick reply, as the widget sends it: the postback, then the button's text
    await customer.sendRichMessagePostback({ chatId: chat.id, threadId: menu.threadId, eventId: menu.id, postback: { id: 'faq:shipping', toggled: true } })
    await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Shipping' } })
    await expectText(answerOf('shipping'))

    // an FAQ from the keyword table
    await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Can you tell me where my order is?' } })
    await expectText(answerOf('order'))

    // ask for an email and wait for the answer
    await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Sign me up for the newsletter' } })
    await expectText('Sure. What is your email address?')
    await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'ada@example.com' } })
    await expectText("Thanks! We'll write to ada@example.com.")

    // hand off to the Support group
    const transferred = nextEvent(customer, 'chat_transferred')
    await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'I want to talk to a human' } })
    await expectText(/pass you to one of our team/)
    expect(await transferred).toMatchObject({ chatId: chat.id, transferredTo: { groupIds: [credentials.humanGroupId] } })

    // nothing else was said: no reply to the click's message, none to the email
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(fromBot).toHaveLength(taken)
  })
})

describe('startDemoBot', () => {
  it('fails to start with a token the server refuses, over either transport', async () => {
    const credentials = createDemoCredentials()
    const server = await createServer({ port: 0, ...demoServerOptions(credentials) })
    cleanups.push(() => server.close())
    const wrong = { ...credentials, botToken: 'not-the-token', owner: { ...credentials.owner, token: 'not-the-token' } }
    await expect(startDemoBot({ serverUrl: server.url, transport: 'rtm', credentials: wrong, logger: silentLogger })).rejects.toThrow(/could not connect/)
    await expect(startDemoBot({ serverUrl: server.url, transport: 'webhooks', credentials: wrong, logger: silentLogger })).rejects.toMatchObject({ code: 'AUTHENTICATION' })
  })
})
