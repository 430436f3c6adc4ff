import {
  type Chat,
  type ChatEvent,
  type CustomerActionMap,
  type CustomerEvent,
  type Thread,
  parseChat,
  parseListThreads,
  userDataEvents,
} from '@rapport/protocol'
import { type ChatState, getEvent } from './state/chatReducer'
import type { ChatStore } from './state/chatStore'
import type { ResultOf } from './transport/rtmClient'
import { ChatError } from './chatError'

export interface RecoveryContext {
  /** Recovery publishes what was missed here; the store emits each event once (a repeat is dropped at commit). */
  store: ChatStore
  send<A extends keyof CustomerActionMap>(action: A, payload: CustomerActionMap[A]['request']): Promise<ResultOf<CustomerActionMap, A>>
  /** Chat ids the login response listed. */
  loginChats: readonly string[]
  /** Pages of older threads read at most, per chat, to close a gap. */
  maxPages?: number
  /** Called with every event the server holds in the threads read (the outbox confirms its own). */
  onServerEvent?(event: ChatEvent): void
}

const byCreation = (a: { createdAt: string }, b: { createdAt: string }): number => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)

/**
 * Threads the client missed in a chat: the latest one, and older ones back to the last
 * thread it knew (read with `list_threads`, newest first, until that thread is found).
 */
const missedThreads = async (ctx: RecoveryContext, chat: Chat, knownLast: string | undefined): Promise<Thread[]> => {
  const latest = chat.thread
  if (!latest) return []
  if (knownLast === undefined || latest.id === knownLast) return [latest]
  const threads: Thread[] = [latest]
  let pageId: string | null = null
  for (let page = 0; page < (ctx.maxPages ?? 10); page++) {
    const result = await ctx.send('list_threads', pageId ? { chat_id: chat.id, page_id: pageId } : { chat_id: chat.id, limit: 25 })
    const parsed = parseListThreads(result.payload, chat.id)
    for (const thread of parsed.threads) {
      if (thread.id === latest.id) continue
      threads.push(thread)
      if (thread.id === knownLast) return threads
    }
    pageId = parsed.nextPageId
    if (!pageId) break
  }
  return threads
}

/** Events in `threads` that `state` does not hold yet, oldest first. */
const unseen = (state: ChatState, threads: Thread[]): ChatEvent[] =>
  threads
    .flatMap((t) => t.events)
    .filter((e) => getEvent(state, e.id)?.status !== 'sent')
    .sort(byCreation)

/**
 * After a reconnect: refetch every chat the client holds (and those the login lists),
 * emit what happened while it was away — each missed event once, a thread that started,
 * a chat that was closed — and replace derived values (seen markers, users, properties)
 * with the server's. Live pushes keep flowing meanwhile; the store emits an event only if
 * its commit finds it new, so nothing is emitted twice whichever comes first.
 */
export const recoverChats = async (ctx: RecoveryContext): Promise<void> => {
  const before = ctx.store.getSnapshot()
  const chatIds = [...new Set([...Object.keys(before.chats), ...ctx.loginChats])]
  for (const chatId of chatIds) {
    const known = before.chats[chatId]
    // a chat whose content the client never held has nothing to catch up on
    if (!known || known.threadIds.length === 0) continue
    let chat: Chat
    try {
      chat = parseChat((await ctx.send('get_chat', { chat_id: chatId })).payload)
    } catch (error) {
      if (error instanceof ChatError && error.code === 'NOT_FOUND') continue
      throw error
    }
    const knownLast = known.threadIds[known.threadIds.length - 1]
    const threads = await missedThreads(ctx, chat, knownLast)
    for (const thread of threads) for (const event of thread.events) ctx.onServerEvent?.(event)
    const now = ctx.store.getSnapshot()
    const events: CustomerEvent[] = [...userDataEvents(chat.users)]
    const latest = chat.thread
    const startedWhileAway = latest !== null && latest.id !== knownLast && latest.active && !now.threads[latest.id]
    // a thread that started while the client was away arrives whole, as a live client would have seen it
    if (startedWhileAway) events.push({ type: 'incoming_chat', payload: { chat } })
    const older = startedWhileAway ? threads.filter((t) => t.id !== latest.id) : threads
    for (const event of unseen(now, older)) events.push({ type: 'incoming_event', payload: { chatId, event } })
    if (latest && !latest.active && now.chats[chatId]?.active) events.push({ type: 'chat_deactivated', payload: { chatId } })
    ctx.store.publish(events)
    // the server's view of the chat replaces what the client derived
    ctx.store.dispatch([{ type: 'threads/fetched', chatId, threads }, { type: 'chat/fetched', chat }])
  }
}
