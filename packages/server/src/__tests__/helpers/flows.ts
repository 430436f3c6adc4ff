import { expect } from 'vitest'
import { AGENT, BOT, ORG, type Harness } from './harness'
import type { TestSocket } from './testSocket'

export interface ChatSetup {
  /** The customer's socket. */
  customer: TestSocket
  customerId: string
  /** A second tab of the same customer. */
  tab: TestSocket
  /** The bot, assigned to the chat. */
  bot: TestSocket
  chatId: string
  threadId: string
  /** Another customer (must never get this chat's pushes). */
  other: TestSocket
}

/** A chat of customer A (two tabs) with the bot assigned, plus an unrelated customer B. */
export const chatWithBot = async (h: Harness, firstMessage = 'Hello'): Promise<ChatSetup> => {
  const bot = await h.agent(BOT.id)
  const a = await h.customer()
  const token = await h.token(ORG, a.customerId)
  const tab = await h.open('customer')
  await tab.ok('login', { token: `Bearer ${token.access_token}` })
  const other = (await h.customer()).socket
  const started = await a.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: firstMessage }] } },
  })
  await a.socket.push('user_added_to_chat')
  await tab.push('user_added_to_chat')
  await bot.push('user_added_to_chat')
  return { customer: a.socket, customerId: a.customerId, tab, bot, chatId: started.chat_id, threadId: started.thread_id, other }
}

/** Asserts that, after a round trip, a socket has no buffered push of that name. */
export const expectNoPush = async (socket: TestSocket, action: string): Promise<void> => {
  await socket.sync()
  expect(socket.buffered(action)).toEqual([])
}

export const errorOf = async (socket: TestSocket, action: string, payload: unknown): Promise<string | undefined> => {
  const response = await socket.request(action, payload)
  expect(response.success).toBe(false)
  return (response.payload as { error?: { type?: string } }).error?.type
}

export { AGENT, BOT, ORG }
