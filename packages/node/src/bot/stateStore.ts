/**
 * Conversation state behind a small interface: one value per chat, read before a handler
 * runs (`ctx.state`) and written after it. Memory by default; a store over Redis, a
 * database or a file implements the same three methods.
 */
export interface StateStore<S> {
  get(chatId: string): Promise<S | undefined> | S | undefined
  set(chatId: string, state: S): Promise<void> | void
  /** Called when a chat ends (deactivated, or handed off). */
  delete(chatId: string): Promise<void> | void
}

/** Keeps each chat's state in a Map (at most `limit` chats; the least recently written go first). */
export const createMemoryStateStore = <S>(options: { limit?: number } = {}): StateStore<S> & { readonly size: number } => {
  const limit = options.limit ?? 10_000
  const states = new Map<string, S>()
  return {
    get: (chatId) => states.get(chatId),
    set: (chatId, state) => {
      states.delete(chatId)
      states.set(chatId, state)
      if (states.size > limit) {
        const oldest = states.keys().next()
        if (!oldest.done) states.delete(oldest.value)
      }
    },
    delete: (chatId) => void states.delete(chatId),
    get size() {
      return states.size
    },
  }
}
