import { ChatError } from '@rapport/core'
import type { MessageEvent } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { type BotError, type BotOptions, createBot, createMemoryStateStore, quickReplies, silentLogger } from '../index'
import { botTest, createFakeAgentTransport, replyText } from '../testing'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const makeBot = <S = Record<string, unknown>>(transport = createFakeAgentTransport(), options: Partial<BotOptions<S>> = {}) =>
  createBot<S>({ transport, logger: silentLogger, handleSignals: false, ...options })

const texts = (t: { replies(): Array<Parameters<typeof replyText>[0]> }) => t.replies().map(replyText)

describe('bot framework', () => {
  it('answers a message with botTest in a few lines, and ignores its own events', async () => {
    const bot = makeBot().message(/hi|hello/i, (ctx) => ctx.reply(`hello ${ctx.text}`))
    const t = await botTest(bot)
    await t.customer.say('hi')
    await t.expectReply(/hello hi/)
    await t.settle()
    // the bot's own message came back as incoming_event; it was not handled as a customer's
    expect(t.transport.requests.filter((r) => r.action === 'send_event')).toHaveLength(1)
    await t.stop()
  })

  it('handles the events of one chat in order, and chats in parallel', async () => {
    const log: string[] = []
    const t = await botTest((transport) =>
      makeBot(transport).message(async (ctx) => {
        log.push(`start ${ctx.chat.id} ${ctx.text}`)
        await sleep(ctx.text === 'slow' ? 80 : 5)
        log.push(`end ${ctx.chat.id} ${ctx.text}`)
        await ctx.reply(`done ${ctx.text}`)
      }),
    )
    const other = t.newCustomer()
    const started = Date.now()
    await t.customer.say('slow')
    await t.customer.say('second')
    await other.say('fast')
    await t.expectReply('done slow')
    await t.expectReply('done second')
    await t.expectReply('done fast', { customer: other })
    // chat 1: in order, the second message waited for the first handler
    expect(log.indexOf('end CHAT1 slow')).toBeLessThan(log.indexOf('start CHAT1 second'))
    // chat 2 did not wait for chat 1
    expect(log.indexOf('end CHAT2 fast')).toBeLessThan(log.indexOf('end CHAT1 slow'))
    expect(Date.now() - started).toBeLessThan(1_000)
    await t.stop()
  })

  it('drops an event delivered twice (by event id)', async () => {
    const seen: string[] = []
    const t = await botTest((transport) => makeBot(transport).message((ctx) => void seen.push(ctx.text)))
    await t.customer.say('once')
    const chat = t.customer.chat
    const event = chat?.events.at(-1)
    if (!chat || !event || event.type !== 'message') throw new Error('no message')
    t.transport.push({ type: 'incoming_event', payload: { chatId: chat.id, event, visibility: 'all' } })
    t.transport.push({ type: 'incoming_chat', payload: { chat: { id: chat.id, access: {}, users: [], properties: {}, eventsSeenUpToMap: {}, thread: null } } })
    await t.settle()
    expect(seen).toEqual(['once'])
    await t.stop()
  })

  it('runs middleware and handlers in registration order, around next()', async () => {
    const order: string[] = []
    const t = await botTest((transport) =>
      makeBot(transport)
        .use(async (_ctx, next) => {
          order.push('outer before')
          await next()
          order.push('outer after')
        })
        .use(async (ctx, next) => {
          if (ctx.text === 'blocked') return
          await next()
        })
        .message('help', async (ctx, next) => {
          order.push('help')
          await ctx.reply('helping')
          await next()
        })
        .message((ctx) => {
          order.push(`fallback ${ctx.text}`)
        }),
    )
    await t.customer.start()
    await t.settle()
    order.length = 0
    await t.customer.say('help me')
    await t.expectReply('helping')
    await t.customer.say('blocked')
    await t.settle()
    expect(order).toEqual(['outer before', 'help', 'fallback help me', 'outer after', 'outer before', 'outer after'])
    await t.stop()
  })

  it('ctx.ask resolves with the customer’s next message, which no other handler sees; null after the timeout', async () => {
    const handled: string[] = []
    const t = await botTest((transport) =>
      makeBot<{ email?: string }>(transport, { handlerTimeoutMs: 100 })
        .message('email', async (ctx) => {
          const answer = await ctx.ask('What is your email?', { timeoutMs: 500 })
          ctx.state.email = answer?.text
          await ctx.reply(answer ? `Saved ${answer.text}` : 'No answer')
        })
        .message('again', async (ctx) => {
          const answer = await ctx.ask('Still there?', { timeoutMs: 30 })
          await ctx.reply(answer === null ? 'Timed out' : 'Got it')
        })
        .message('state', (ctx) => ctx.reply(`state ${ctx.state.email ?? 'none'}`))
        .message((ctx) => void handled.push(ctx.text)),
    )
    await t.customer.say('my email please')
    await t.expectReply('What is your email?')
    // waiting for the answer longer than the handler timeout: not counted
    await sleep(150)
    await t.customer.say('ada@example.com')
    await t.expectReply('Saved ada@example.com')
    await t.customer.say('state?')
    await t.expectReply('state ada@example.com')
    await t.customer.say('again')
    await t.expectReply('Still there?')
    await t.expectReply('Timed out')
    expect(handled).toEqual([])
    await t.stop()
  })

  it('ctx.handoff transfers the chat to a group and forgets it', async () => {
    const t = await botTest((transport) => makeBot(transport).message('human', (ctx) => ctx.handoff({ groupId: 2, message: 'Passing you to a human' })))
    await t.customer.say('a human please')
    await t.expectReply('Passing you to a human')
    expect(await t.expectHandoff()).toEqual({ type: 'group', ids: [2] })
    const transfer = t.transport.requests.find((r) => r.action === 'transfer_chat')
    expect(transfer?.payload).toEqual({ id: 'CHAT1', target: { type: 'group', ids: [2] }, ignore_agents_availability: true })
    await t.stop()
  })

  it('reports a handler that times out (and one that throws) to bot.catch, and the chat moves on', async () => {
    const errors: BotError[] = []
    let aborted = false
    const t = await botTest((transport) =>
      makeBot(transport, { handlerTimeoutMs: 50 })
        .message('stuck', async (ctx) => {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
          aborted = true
        })
        .message('boom', () => {
          throw new Error('boom')
        })
        .message((ctx) => ctx.reply(`ok ${ctx.text}`))
        .catch((error) => void errors.push(error)),
    )
    await t.customer.say('stuck')
    await t.customer.say('next')
    await t.expectReply('ok next')
    expect(errors.map((e) => [e.code, e.chatId, e.eventType])).toEqual([['HANDLER_TIMEOUT', 'CHAT1', 'incoming_event']])
    expect(aborted).toBe(true)
    await t.customer.say('boom')
    await t.settle()
    expect(errors.map((e) => e.code)).toEqual(['HANDLER_TIMEOUT', 'HANDLER_FAILED'])
    expect(errors[1]?.cause).toMatchObject({ message: 'boom' })
    await t.stop()
  })

  it('backs off on too_many_requests and sends every reply, in order', async () => {
    const transport = createFakeAgentTransport()
    const waits: number[] = []
    let now = 0
    const bot = makeBot(transport, {
      throttle: { baseDelayMs: 100, maxDelayMs: 1_000 },
      clock: {
        now: () => now,
        random: () => 1,
        sleep: async (ms) => {
          waits.push(ms)
          now += ms
          await sleep(1)
        },
      },
    }).message(async (ctx) => {
      await ctx.reply(`a ${ctx.text}`)
      await ctx.reply(`b ${ctx.text}`)
    })
    const t = await botTest(bot)
    transport.failNext('send_event', 'too_many_requests', 3)
    await t.customer.say('x')
    await t.expectReply('a x')
    await t.expectReply('b x')
    // three refusals in a row: 100, 200, 400 ms (random 1: the top of each window)
    expect(waits).toEqual([100, 200, 400])
    expect(transport.requests.filter((r) => r.action === 'send_event')).toHaveLength(5)
    await t.stop()
  })

  it('gives up after maxAttempts and reports the failure', async () => {
    const transport = createFakeAgentTransport()
    const errors: BotError[] = []
    const bot = makeBot(transport, { throttle: { maxAttempts: 2, baseDelayMs: 1 } })
      .message((ctx) => ctx.reply('never'))
      .catch((e) => void errors.push(e))
    const t = await botTest(bot)
    transport.failNext('send_event', 'too_many_requests', 2)
    await t.customer.say('x')
    await t.settle()
    expect(errors[0]?.cause).toBeInstanceOf(ChatError)
    expect(errors[0]?.cause).toMatchObject({ code: 'TOO_MANY_REQUESTS' })
    await t.stop()
  })

  it('stop(): stops taking chats, finishes the handlers in flight and flushes the outbox before closing', async () => {
    const transport = createFakeAgentTransport({ latencyMs: (action) => (action === 'send_event' ? 40 : 0) })
    const bot = makeBot(transport).message(async (ctx) => {
      await sleep(60)
      void ctx.reply(`late reply to ${ctx.text}`) // not awaited: still in the outbox when the handler ends
    })
    const t = await botTest(bot)
    await t.customer.say('one')
    const other = t.newCustomer()
    await other.say('two')
    await sleep(10)
    await bot.stop()
    expect(transport.closed).toBe(true)
    expect(t.replies().map(replyText)).toEqual(['late reply to one'])
    expect(t.replies(other).map(replyText)).toEqual(['late reply to two'])
    const routing = transport.requests.filter((r) => r.action === 'set_routing_status').map((r) => r.payload)
    expect(routing).toEqual([{ status: 'accepting_chats' }, { status: 'not_accepting_chats' }])
    // a chat after stop is not taken
    transport.startChat({ id: 'late' }, 'anyone?')
    await sleep(10)
    expect(transport.requests.filter((r) => r.action === 'send_event')).toHaveLength(2)
  })

  it('stop() resolves a pending ask with null', async () => {
    const t = await botTest((transport) =>
      makeBot(transport).message(async (ctx) => {
        const answer = await ctx.ask('Anything else?')
        await ctx.reply(answer === null ? 'bye' : 'more')
      }),
    )
    await t.customer.say('hi')
    await t.expectReply('Anything else?')
    await t.stop()
    expect(texts(t)).toEqual(['Anything else?', 'bye'])
  })

  it('bot.messages() and bot.events() iterate until the bot stops', async () => {
    const t = await botTest((transport) => makeBot(transport))
    const heard: string[] = []
    const chats: string[] = []
    const loop = (async () => {
      for await (const ctx of t.bot.messages()) {
        heard.push(ctx.text)
        await ctx.reply(`echo ${ctx.text}`)
      }
    })()
    const events = (async () => {
      for await (const ctx of t.bot.events('incoming_chat', 'chat_deactivated')) chats.push(`${ctx.event.type} ${ctx.chat.id}`)
    })()
    await t.customer.say('one')
    await t.expectReply('echo one')
    await t.customer.say('two')
    await t.expectReply('echo two')
    await t.customer.leave()
    await t.settle()
    await t.stop()
    await loop
    await events
    expect(heard).toEqual(['one', 'two'])
    expect(chats).toEqual(['incoming_chat CHAT1', 'chat_deactivated CHAT1'])
  })

  it('typing before a reply is switched off by the reply; ctx.customer reads the record once', async () => {
    const t = await botTest(
      (transport) =>
        makeBot(transport).on('incoming_chat', async (ctx) => {
          await ctx.typing()
          const [a, b] = await Promise.all([ctx.customer, ctx.customer])
          expect(a).toBe(b)
          await ctx.reply(`Hello ${a.name ?? 'there'}`)
        }),
      { customer: { id: 'c1', name: 'Grace' } },
    )
    await t.customer.start()
    await t.expectReply('Hello Grace')
    await t.settle()
    const actions = t.transport.requests.map((r) => r.action).filter((a) => a !== 'set_routing_status')
    expect(actions).toEqual(['send_typing_indicator', 'get_customer', 'send_event', 'send_typing_indicator'])
    expect(t.transport.requests.filter((r) => r.action === 'send_typing_indicator').map((r) => r.payload)).toEqual([
      { chat_id: 'CHAT1', is_typing: true },
      { chat_id: 'CHAT1', is_typing: false },
    ])
    await t.stop()
  })

  it('handles a quick reply postback; the message the click also posts is not handled again', async () => {
    const handled: string[] = []
    const t = await botTest((transport) =>
      makeBot(transport)
        .message('menu', (ctx) => ctx.reply(quickReplies('Pick one', [{ text: 'Shipping', postbackId: 'faq:shipping' }])))
        .postback(/^faq:(.+)$/, (ctx) => ctx.reply(`About ${ctx.match?.[1]}`))
        .message((ctx) => void handled.push(ctx.text)),
    )
    await t.customer.say('menu')
    const menu = await t.expectReply('Pick one')
    expect(menu).toMatchObject({ type: 'rich_message', template: 'quick_replies' })
    await t.customer.click('faq:shipping')
    await t.expectReply('About shipping')
    await t.settle()
    expect(handled).toEqual([])
    await t.stop()
  })

  it('keeps conversation state per chat in the store, and deletes it when the chat ends', async () => {
    const store = createMemoryStateStore<{ count: number }>()
    const t = await botTest((transport) =>
      makeBot<{ count: number }>(transport, { store, initialState: () => ({ count: 0 }) }).message((ctx) => {
        ctx.state.count += 1
        return ctx.reply(`#${ctx.state.count}`)
      }),
    )
    const other = t.newCustomer()
    await t.customer.say('a')
    await t.customer.say('b')
    await other.say('c')
    await t.expectReply('#1')
    await t.expectReply('#2')
    await t.expectReply('#1', { customer: other })
    expect(await store.get('CHAT1')).toEqual({ count: 2 })
    await t.customer.leave()
    await t.settle()
    expect(await store.get('CHAT1')).toBeUndefined()
    await t.stop()
  })

  it('handles the message a chat starts with after incoming_chat', async () => {
    const order: string[] = []
    const t = await botTest((transport) =>
      makeBot(transport)
        .on('incoming_chat', () => void order.push('chat'))
        .message((ctx) => void order.push(`message ${(ctx.message satisfies MessageEvent).text}`)),
    )
    await t.customer.say('first words')
    await t.settle()
    expect(order).toEqual(['chat', 'message first words'])
    await t.stop()
  })

  it('writes structured logs, debug lines only with the debug switch', async () => {
    const lines: string[] = []
    const { createConsoleLogger } = await import('../index')
    const logger = createConsoleLogger({ level: 'info', write: (line) => lines.push(line) })
    logger.debug({ a: 1 }, 'hidden')
    logger.info({ chatId: 'C', err: new Error('x') }, 'shown')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'info', msg: 'shown', chatId: 'C', err: { message: 'x' } })
    const { isBotDebugEnabled } = await import('../index')
    expect([isBotDebugEnabled('bot'), isBotDebugEnabled('agent,bot'), isBotDebugEnabled('*'), isBotDebugEnabled('agent'), isBotDebugEnabled(undefined)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ])
  })
})
