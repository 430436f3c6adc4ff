/**
 * Named selectors over the chat state, so that no adapter or app walks threads and
 * events itself. Each returns the same reference while its slice is unchanged, so
 * `select(client.state, selector)` notifies only when that slice changes. Selectors that
 * take an argument are factories: make one per use (each keeps its own memory).
 */
import type { ChatUser, Greeting, Queue } from '@rapport/protocol'
import { orderLast, orderValues, orderValuesReversed, tableGet } from './collections'
import type { ChatEntity, ChatState, EventEntity, ThreadEntity, UploadEntity } from './chatReducer'

export type Selector<T> = (state: ChatState) => T

const EMPTY: readonly never[] = /* @__PURE__ */ Object.freeze([])

/** Same length and the same elements (by reference). */
export const shallowEqualArrays = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Keeps the previous array when the new one holds the same elements. */
const stableArray = <T>(compute: (state: ChatState) => readonly T[]): Selector<readonly T[]> => {
  let last: readonly T[] = EMPTY
  return (state) => {
    const next = compute(state)
    if (!shallowEqualArrays(last, next)) last = next.length === 0 ? EMPTY : next
    return last
  }
}

/** Recomputes only when one of the inputs changed (by reference). */
const memo = <I extends unknown[], T>(inputs: (state: ChatState) => I, compute: (...inputs: I) => T): Selector<T> => {
  let lastInputs: I | null = null
  let last: T
  return (state) => {
    const next = inputs(state)
    if (lastInputs === null || !shallowEqualArrays(lastInputs, next)) {
      lastInputs = next
      last = compute(...next)
    }
    return last
  }
}

/**
 * A chat's events in order across its threads, each with its delivery status (`sent`,
 * or `pending`/`failed` for the customer's own events not confirmed yet, listed last).
 */
export const chatEvents = (chatId: string): Selector<readonly EventEntity[]> =>
  stableArray(
    memo(
      (state): [ChatEntity | undefined, ChatState['threads'], ChatState['events']] => [state.chats[chatId], state.threads, state.events],
      (chat, threads, events) => {
        if (!chat) return EMPTY
        const list: EventEntity[] = []
        for (const threadId of chat.threadIds) {
          const thread = threads[threadId]
          if (!thread) continue
          for (const id of orderValues(thread.eventIds)) {
            const event = tableGet(events, id)
            if (event) list.push(event)
          }
        }
        for (const id of chat.pendingEventIds) {
          const event = tableGet(events, id)
          if (event) list.push(event)
        }
        return list
      },
    ),
  )

/** The chat's newest thread while it is active; `null` when the chat is closed or unknown. */
export const activeThread = (chatId: string): Selector<ThreadEntity | null> => (state) => {
  const chat = state.chats[chatId]
  const id = chat?.threadIds[chat.threadIds.length - 1]
  const thread = id === undefined ? undefined : state.threads[id]
  return thread?.active ? thread : null
}

/** The queue of the chat's active thread, if it waits in one. */
export const queuePosition = (chatId: string): Selector<Queue | null> => {
  const thread = activeThread(chatId)
  return (state) => thread(state)?.queue ?? null
}

/**
 * Events of others the customer has not seen: those after the customer's `seenUpTo`
 * marker (the server's, or the one `markEventsAsSeen` moved). Counted from the newest
 * back, so the cost is the number of unread events.
 */
export const unreadCount = (chatId: string): Selector<number> => (state) => {
  const chat = state.chats[chatId]
  if (!chat) return 0
  const me = state.customerId
  const seenUpTo = me === null ? null : (chat.eventsSeenUpTo[me] ?? null)
  let count = 0
  for (let t = chat.threadIds.length - 1; t >= 0; t--) {
    const thread = state.threads[chat.threadIds[t] as string]
    if (!thread) continue
    for (const id of orderValuesReversed(thread.eventIds)) {
      const event = tableGet(state.events, id)
      if (!event) continue
      if (seenUpTo !== null && event.createdAt <= seenUpTo) return count
      if (event.authorId !== me) count++
    }
  }
  return count
}

/** Users typing in the chat right now. */
export const typingUsers = (chatId: string): Selector<readonly ChatUser[]> =>
  stableArray((state) => {
    const typing = state.chats[chatId]?.typing
    if (!typing) return EMPTY
    const users: ChatUser[] = []
    for (const id in typing) {
      const user = state.users[id]
      if (typing[id] && user) users.push(user)
    }
    return users
  })

/** Ids of the users typing in the chat right now (a user the state holds no entry for included). */
export const typingUserIds = (chatId: string): Selector<readonly string[]> =>
  stableArray((state) => {
    const typing = state.chats[chatId]?.typing
    if (!typing) return EMPTY
    const ids: string[] = []
    for (const id in typing) if (typing[id]) ids.push(id)
    return ids
  })

/** The greeting on display, if any. */
export const currentGreeting: Selector<Greeting | null> = (state) => state.greeting

/** Uploads in progress or failed (finished ones leave the list). */
export const pendingUploads: Selector<readonly UploadEntity[]> = /* @__PURE__ */ stableArray((state) => Object.values(state.uploads))

export interface ChatListItem {
  chat: ChatEntity
  /** The newest event held, pending ones included. */
  lastEvent: EventEntity | null
}

const lastEventOf = (state: ChatState, chat: ChatEntity): EventEntity | null => {
  const pending = chat.pendingEventIds[chat.pendingEventIds.length - 1]
  if (pending !== undefined) return tableGet(state.events, pending) ?? null
  for (let t = chat.threadIds.length - 1; t >= 0; t--) {
    const thread = state.threads[chat.threadIds[t] as string]
    const id = thread ? orderLast(thread.eventIds) : undefined
    if (id !== undefined) return tableGet(state.events, id) ?? null
  }
  return null
}

/** The chats, newest activity first, each with its last event. */
export const chatList = (): Selector<readonly ChatListItem[]> => {
  const items = new Map<string, ChatListItem>()
  let seen: readonly unknown[] = EMPTY
  let last: readonly ChatListItem[] = EMPTY
  return (state) => {
    const inputs = [state.chats, state.threads, state.events]
    if (shallowEqualArrays(seen, inputs)) return last
    seen = inputs
    const list: ChatListItem[] = []
    for (const id in state.chats) {
      const chat = state.chats[id] as ChatEntity
      const lastEvent = lastEventOf(state, chat)
      let item = items.get(id)
      if (!item || item.chat !== chat || item.lastEvent !== lastEvent) {
        item = { chat, lastEvent }
        items.set(id, item)
      }
      list.push(item)
    }
    list.sort((a, b) => ((b.lastEvent?.createdAt ?? '') < (a.lastEvent?.createdAt ?? '') ? -1 : (b.lastEvent?.createdAt ?? '') > (a.lastEvent?.createdAt ?? '') ? 1 : 0))
    if (!shallowEqualArrays(last, list)) last = list
    return last
  }
}
