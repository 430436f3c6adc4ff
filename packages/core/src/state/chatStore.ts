import type { ExternalStore } from '../externalStore'
import { type ChatAction, type ChatState, chatReducer, initialChatState } from './chatReducer'

export interface ChatStore extends ExternalStore<ChatState> {
  dispatch(action: ChatAction | readonly ChatAction[]): void
  /** Removes every listener. */
  dispose(): void
}

/**
 * Holds the chat state. Actions queue up and are folded in one `produce` per batch:
 * on the next microtask, or at once when someone reads the snapshot, so a read is never
 * stale. Listeners are notified once per batch, after the commit, never synchronously.
 */
export const createChatStore = (initial: ChatState = initialChatState): ChatStore => {
  let state = initial
  let queue: ChatAction[] = []
  let scheduled = false
  const listeners = new Set<() => void>()

  const flush = (): void => {
    if (queue.length === 0) return
    const batch = queue
    queue = []
    const next = chatReducer(state, batch)
    if (next === state) return
    state = next
    for (const listener of [...listeners]) listener()
  }

  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      flush()
    })
  }

  return {
    dispatch: (action) => {
      if (Array.isArray(action)) queue.push(...(action as ChatAction[]))
      else queue.push(action as ChatAction)
      schedule()
    },
    getSnapshot: () => {
      if (queue.length > 0) {
        // commit now, notify on the scheduled microtask as usual
        const batch = queue
        queue = []
        const next = chatReducer(state, batch)
        if (next !== state) {
          state = next
          queueMicrotask(() => {
            for (const listener of [...listeners]) listener()
          })
        }
      }
      return state
    },
    subscribe: (listener) => {
      const wrapped = () => listener()
      listeners.add(wrapped)
      return () => void listeners.delete(wrapped)
    },
    dispose: () => listeners.clear(),
  }
}
