/**
 * The demo bot, written with @rapport/node's bot framework as a user would:
 *
 * - takes each incoming chat and greets the customer by name from the CRM record (when
 *   there is one), then offers the FAQ topics as quick replies;
 * - answers questions from the keyword table in `faq.json`, showing typing first;
 * - answers a quick reply's postback with its topic;
 * - asks for an email address (`ctx.ask`) and waits for the answer;
 * - hands the chat to a group of humans on request.
 */
import { type Bot, type BotContext, type BotMessage, type BotOptions, type CrmClient, createBot, quickReplies } from '@rapport/node'
import { FAQ, type FaqTopic, findTopic } from './faq'

export interface DemoState {
  /** Whether the greeting (which also answers a first "hello") was sent. */
  greeted: boolean
  /** Customer messages so far. */
  turns: number
  email?: string
  /** Questions the FAQ could not answer in this chat. */
  misses: number
}

export interface DemoBotOptions extends Omit<BotOptions<DemoState>, 'initialState'> {
  /** The CRM, to greet customers by name. */
  crm?: CrmClient
  /** The group of humans `human` hands chats to. */
  humanGroupId: number
  faq?: readonly FaqTopic[]
  /** How long the bot shows typing before each answer. Default 300 ms. */
  typingMs?: number
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const MENU_POSTBACK_PREFIX = 'faq:'
export const HUMAN_POSTBACK = 'human'

export const createDemoBot = (options: DemoBotOptions): Bot<DemoState> => {
  const { crm, humanGroupId, faq = FAQ, typingMs = 300, ...botOptions } = options
  const bot = createBot<DemoState>({ ...botOptions, initialState: () => ({ greeted: false, turns: 0, misses: 0 }) })

  /** Typing, a short pause, then the answer. */
  const say = async (ctx: BotContext<DemoState>, message: BotMessage): Promise<void> => {
    await ctx.typing()
    await new Promise((resolve) => setTimeout(resolve, typingMs))
    await ctx.reply(message)
  }
  const menu = (title = 'What can I help you with?') =>
    quickReplies(title, [
      ...faq.filter((t) => t.title !== undefined).map((t) => ({ text: t.title ?? t.id, postbackId: `${MENU_POSTBACK_PREFIX}${t.id}` })),
      { text: 'Talk to a human', postbackId: HUMAN_POSTBACK },
    ])
  const handoff = (ctx: BotContext<DemoState>) =>
    ctx.handoff({ groupId: humanGroupId, message: 'Let me pass you to one of our team. Someone will be with you shortly.' })

  const nameOf = async (ctx: BotContext<DemoState>): Promise<string | undefined> => {
    const customerId = ctx.chat.customerId
    if (crm && customerId) {
      try {
        const record = await crm.findCustomer(customerId)
        if (record?.attributes.name) return record.attributes.name
      } catch (error) {
        ctx.log.warn({ err: error, customerId }, 'CRM lookup failed')
      }
    }
    return undefined
  }

  bot.on('incoming_chat', async (ctx) => {
    const name = await nameOf(ctx)
    await say(ctx, menu(`Hi ${name ?? 'there'}! I'm the Rapport demo bot. What can I help you with?`))
    ctx.state.greeted = true
  })

  bot.use(async (ctx, next) => {
    if (ctx.message) ctx.state.turns += 1
    await next()
  })

  bot.postback(HUMAN_POSTBACK, handoff)
  bot.postback(new RegExp(`^${MENU_POSTBACK_PREFIX}(.+)$`), async (ctx) => {
    const topic = faq.find((t) => t.id === ctx.match?.[1])
    if (topic) await say(ctx, topic.answer)
  })

  bot.message(['human', 'agent', 'person', 'someone real'], handoff)

  bot.message(['email', 'newsletter', 'subscribe', 'contact me'], async (ctx) => {
    let answer = await ctx.ask('Sure. What is your email address?', { timeoutMs: 120_000 })
    if (answer && !EMAIL.test(answer.text.trim())) answer = await ctx.ask('That does not look like an email address. Could you check it?', { timeoutMs: 120_000 })
    if (!answer || !EMAIL.test(answer.text.trim())) return say(ctx, 'No problem, maybe another time.')
    ctx.state.email = answer.text.trim()
    await say(ctx, `Thanks! We'll write to ${ctx.state.email}.`)
  })

  bot.message(['hi', 'hello', 'hey'], async (ctx) => {
    // a chat's first "hello" was answered by the greeting
    if (ctx.state.greeted && ctx.state.turns === 1) return
    await say(ctx, 'Hello! Ask me about orders, shipping, returns or our hours, or pick a topic above.')
  })

  bot.message(async (ctx) => {
    const topic = findTopic(ctx.text, faq)
    if (topic) return say(ctx, topic.answer)
    ctx.state.misses += 1
    if (ctx.state.misses >= 2) return handoff(ctx)
    await say(ctx, "Sorry, I don't know that one yet. Pick a topic, or type 'human' to talk to a person.")
  })

  bot.catch((error) => bot.log.error({ err: error.cause ?? error, code: error.code, chatId: error.chatId }, error.message))
  return bot
}
