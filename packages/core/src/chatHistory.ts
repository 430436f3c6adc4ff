import type { ListThreadsResult, Thread } from '@rapport/protocol'

export interface ChatHistoryResult {
  threads: Thread[]
}

/**
 * What `next()` resolves with: the last page comes with `done: true` and its threads;
 * calls after that get `{ value: undefined, done: true }` (sdk-mapping §7).
 */
export type ChatHistoryStep = { value: ChatHistoryResult; done: boolean } | { value: undefined; done: true }

/** The documented `history` object; also usable with `for await`. */
export interface ChatHistory extends AsyncIterable<ChatHistoryResult> {
  next(): Promise<ChatHistoryStep>
}

type Fetch = (page: { pageId: string } | { minEventsCount: number }) => Promise<ListThreadsResult>

/**
 * Pages through a chat's threads, newest first, each page given oldest first
 * (sdk-mapping §7). `next()` calls made while a page loads wait their turn; a failed
 * page rejects its caller and every queued one, and the next call retries it.
 */
export const createChatHistory = (fetchPage: Fetch, minEventsCount = 25): ChatHistory => {
  let status: 'idle' | 'fetching' | 'done' = 'idle'
  let nextPageId: string | null = null
  let started = false
  const queue: Array<{ resolve(r: ChatHistoryStep): void; reject(e: unknown): void }> = []

  const run = (): void => {
    if (status === 'fetching') return
    const waiter = queue[0]
    if (!waiter) return
    if (status === 'done') {
      queue.shift()
      waiter.resolve({ value: undefined, done: true })
      run()
      return
    }
    status = 'fetching'
    const page = started && nextPageId !== null ? { pageId: nextPageId } : { minEventsCount }
    fetchPage(page).then(
      (result) => {
        started = true
        nextPageId = result.nextPageId
        status = nextPageId === null ? 'done' : 'idle'
        queue.shift()?.resolve({ value: { threads: [...result.threads].reverse() }, done: status === 'done' })
        run()
      },
      (error: unknown) => {
        status = 'idle'
        for (const w of queue.splice(0)) w.reject(error)
      },
    )
  }

  const history: ChatHistory = {
    next: () =>
      new Promise((resolve, reject) => {
        queue.push({ resolve, reject })
        run()
      }),
    [Symbol.asyncIterator]: () => ({
      // a `for await` loop yields the last page too, then stops
      next: async (): Promise<IteratorResult<ChatHistoryResult, undefined>> => {
        if (status === 'done') return { value: undefined, done: true }
        const result = await history.next()
        return result.value ? { value: result.value, done: false } : { value: undefined, done: true }
      },
    }),
  }
  return history
}
