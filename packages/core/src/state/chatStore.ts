import type { CustomerEvent } from '@rapport/protocol'
import type { ExternalStore } from '../externalStore'
import { type ChatAction, type ChatState, initialChatState, reduceBatch } from './chatReducer'

/**
 * The chat state's write side; it never leaves core. Adapters get the read side
 * (`ExternalStore<ChatState>`).
 */
export interface ChatStore extends ExternalStore<ChatState> {
  /** Folds actions into the state at the next commit. */
  dispatch(actions: ChatAction | readonly ChatAction[]): void
  /**
   * Folds SDK events into the state at the next commit, then hands those that are news
   * (not a repeat of what the state held) to `onEvents`, in order.
   */
  publish(events: readonly CustomerEvent[]): void
  /** Commits what waits now (before a final emission, e.g. on destroy). */
  flush(): void
  /** Removes every listener; later writes are dropped. */
  dispose(): void
}

export interface ChatStoreOptions {
  initial?: ChatState
  /** Receives the SDK events of each commit, after the state holds them. */
  onEvents?(events: CustomerEvent[]): void
}

/**
 * Holds the chat state. Writes queue up and are folded in one `produce` per batch on the
 * next microtask; then the batch's news is emitted and listeners are notified once.
 * Reading is pure: `getSnapshot()` returns the committed state and never commits, so a
 * burst of frames costs one commit and one notification, whatever reads happen meanwhile.
 */
export const createChatStore = (options: ChatStoreOptions = {}): ChatStore => {
  let state = options.initial ?? initialChatState
  let actions: ChatAction[] = []
  /** Per queued action: whether it is an SDK event to emit once committed. */
  let emits: boolean[] = []
  let scheduled = false
  let disposed = false
  const listeners = new Set<() => void>()

  const commit = (): void => {
    scheduled = false
    if (actions.length === 0) return
    const batch = actions
    const emitting = emits
    actions = []
    emits = []
    const repeats = new Set<number>()
    const next = reduceBatch(state, batch, (index) => void repeats.add(index))
    const changed = next !== state
    state = next
    if (options.onEvents && emitting.includes(true)) {
      const news: CustomerEvent[] = []
      for (let i = 0; i < batch.length; i++) if (emitting[i] && !repeats.has(i)) news.push(batch[i] as CustomerEvent)
      if (news.length > 0) options.onEvents(news)
    }
    if (changed) for (const listener of [...listeners]) listener()
  }

  const enqueue = (items: readonly ChatAction[], emit: boolean): void => {
    if (disposed || items.length === 0) return
    for (const item of items) {
      actions.push(item)
      emits.push(emit)
    }
    if (scheduled) return
    scheduled = true
    queueMicrotask(commit)
  }

  return {
    dispatch: (action) => enqueue(Array.isArray(action) ? (action as readonly ChatAction[]) : [action as ChatAction], false),
    publish: (events) => enqueue(events, true),
    flush: commit,
    getSnapshot: () => state,
    subscribe: (listener) => {
      // each subscription is its own entry, so the same function subscribed twice is called twice
      const entry = () => listener()
      listeners.add(entry)
      return () => void listeners.delete(entry)
    },
    dispose: () => {
      disposed = true
      actions = []
      emits = []
      listeners.clear()
    },
  }
}
