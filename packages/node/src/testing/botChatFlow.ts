/**
 * fast-check chat-flow commands for property tests of a bot's behaviour: customers start
 * chats, write, click buttons and leave, in any order and across several chats; after
 * each step the bot is allowed to finish (`settle`) and `check(model, real)` asserts what
 * must always hold (e.g. "every question got exactly one answer, in order").
 *
 * ```ts
 * await fc.assert(botChatFlowProperty(() => createMyBot(...), {
 *   texts: fc.constantFrom('hi', 'price?', 'bye'),
 *   check: (model, { t, customers }) => { ... },
 * }))
 * ```
 */
import fc from 'fast-check'
import type { Bot } from '../bot/bot'
import type { FakeAgentTransport } from './fakeAgentTransport'
import { type BotTest, type BotTestCustomer, botTest, replyText } from './botTest'

export interface BotFlowCustomerModel {
  started: boolean
  active: boolean
  /** What the customer wrote, in order. */
  said: string[]
}

export interface BotFlowModel {
  customers: BotFlowCustomerModel[]
}

export interface BotFlowReal {
  t: BotTest<unknown>
  customers: BotTestCustomer[]
}

export interface BotFlowOptions {
  /** Customers (one chat each). Default 3. */
  customers?: number
  /** What customers write. Default short words. */
  texts?: fc.Arbitrary<string>
  /** Postback ids customers may click (only when the bot showed such a button). Default none. */
  postbacks?: readonly string[]
  /** Asserted after every command, once the bot has settled. */
  check?(model: BotFlowModel, real: BotFlowReal): void | Promise<void>
  /** Commands per run. Default 20. */
  maxCommands?: number
}

type BotFlowCommand = fc.AsyncCommand<BotFlowModel, BotFlowReal>

const settleAndCheck = async (model: BotFlowModel, real: BotFlowReal, options: BotFlowOptions): Promise<void> => {
  await real.t.settle()
  await options.check?.(model, real)
}

const say = (index: number, text: string, options: BotFlowOptions): BotFlowCommand => ({
  check: (m) => m.customers[index]?.active !== false,
  run: async (m, r) => {
    const customer = m.customers[index]
    const real = r.customers[index]
    if (!customer || !real) return
    await real.say(text)
    customer.started = true
    customer.said.push(text)
    await settleAndCheck(m, r, options)
  },
  toString: () => `customer${index}.say(${JSON.stringify(text)})`,
})

const leave = (index: number, options: BotFlowOptions): BotFlowCommand => ({
  check: (m) => m.customers[index]?.started === true && m.customers[index]?.active === true,
  run: async (m, r) => {
    const customer = m.customers[index]
    await r.customers[index]?.leave()
    if (customer) customer.active = false
    await settleAndCheck(m, r, options)
  },
  toString: () => `customer${index}.leave()`,
})

const click = (index: number, postbackId: string, options: BotFlowOptions): BotFlowCommand => ({
  check: (m) => m.customers[index]?.started === true && m.customers[index]?.active === true,
  run: async (m, r) => {
    const real = r.customers[index]
    const chat = real?.chat
    const shown = chat?.events.some((e) => e.type === 'rich_message' && e.elements.some((el) => el.buttons?.some((b) => b.postbackId === postbackId)))
    if (!real || !chat || !shown || !chat.active || !chat.botPresent) return
    await real.click(postbackId)
    await settleAndCheck(m, r, options)
  },
  toString: () => `customer${index}.click(${JSON.stringify(postbackId)})`,
})

/** The commands, as arbitraries for `fc.commands`. */
export const botChatFlowCommands = (options: BotFlowOptions = {}): Array<fc.Arbitrary<BotFlowCommand>> => {
  const index = fc.nat({ max: (options.customers ?? 3) - 1 })
  const texts = options.texts ?? fc.constantFrom('hi', 'hello', 'help', 'thanks', 'bye', '?')
  const commands: Array<fc.Arbitrary<BotFlowCommand>> = [
    fc.tuple(index, texts).map(([i, text]) => say(i, text, options)),
    fc.tuple(index, texts).map(([i, text]) => say(i, text, options)),
    index.map((i) => leave(i, options)),
  ]
  if (options.postbacks && options.postbacks.length > 0) {
    commands.push(fc.tuple(index, fc.constantFrom(...options.postbacks)).map(([i, id]) => click(i, id, options)))
  }
  return commands
}

/** A property running random chat flows against a fresh bot each time. */
export const botChatFlowProperty = <S>(build: (transport: FakeAgentTransport) => Bot<S>, options: BotFlowOptions = {}) =>
  fc.asyncProperty(fc.commands(botChatFlowCommands(options), { maxCommands: options.maxCommands ?? 20 }), async (commands) => {
    const t = await botTest(build)
    const count = options.customers ?? 3
    const customers = [t.customer, ...Array.from({ length: count - 1 }, () => t.newCustomer())]
    const model: BotFlowModel = { customers: customers.map(() => ({ started: false, active: true, said: [] })) }
    try {
      // a test's bot is typed by its state; the flow does not look at it
      await fc.asyncModelRun(() => ({ model, real: { t: t, customers } }), commands)
    } finally {
      await t.stop()
    }
  })

export { replyText }
