import type { ListThreadsResult, Thread } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { createChatHistory } from '../chatHistory'

const thread = (id: string): Thread => ({
  id,
  chatId: 'C',
  active: false,
  access: {},
  createdAt: '2026-01-01T00:00:00.000000Z',
  userIds: [],
  events: [],
  properties: {},
  previousThreadId: null,
  nextThreadId: null,
  queue: null,
})

/** Pages of threads, newest first, as the server gives them. */
const server = (pages: string[][]) => {
  const calls: unknown[] = []
  let fail = false
  const fetch = async (page: { pageId: string } | { minEventsCount: number }): Promise<ListThreadsResult> => {
    calls.push(page)
    if (fail) {
      fail = false
      throw Object.assign(new Error('lost'), { code: 'CONNECTION_LOST' })
    }
    const index = 'pageId' in page ? Number(page.pageId) : 0
    return { threads: (pages[index] ?? []).map(thread), previousPageId: null, nextPageId: index + 1 < pages.length ? String(index + 1) : null }
  }
  return { fetch, calls, failNext: () => void (fail = true) }
}

const ids = (r: { value?: { threads: Thread[] } }) => r.value?.threads.map((t) => t.id)

describe('getChatHistory', () => {
  it('yields pages oldest first, first with minEventsCount 25, then by page id; done on the last page', async () => {
    const s = server([['T5', 'T4'], ['T3', 'T2'], ['T1']])
    const history = createChatHistory(s.fetch)
    const first = await history.next()
    expect(ids(first)).toEqual(['T4', 'T5'])
    expect(first.done).toBe(false)
    expect(ids(await history.next())).toEqual(['T2', 'T3'])
    const last = await history.next()
    expect(ids(last)).toEqual(['T1'])
    expect(last.done).toBe(true)
    expect(await history.next()).toEqual({ value: undefined, done: true })
    expect(s.calls).toEqual([{ minEventsCount: 25 }, { pageId: '1' }, { pageId: '2' }])
  })

  it('queues next() calls made while a page loads, in order', async () => {
    const s = server([['T3'], ['T2'], ['T1']])
    const history = createChatHistory(s.fetch)
    const results = await Promise.all([history.next(), history.next(), history.next(), history.next()])
    expect(results.map(ids)).toEqual([['T3'], ['T2'], ['T1'], undefined])
    expect(results.map((r) => r.done)).toEqual([false, false, true, true])
    expect(s.calls).toHaveLength(3)
  })

  it('a failed page rejects its caller and the queued ones; the next call retries the same page', async () => {
    const s = server([['T2'], ['T1']])
    const history = createChatHistory(s.fetch)
    await history.next()
    s.failNext()
    const a = history.next()
    const b = history.next()
    await expect(a).rejects.toMatchObject({ code: 'CONNECTION_LOST' })
    await expect(b).rejects.toMatchObject({ code: 'CONNECTION_LOST' })
    expect(ids(await history.next())).toEqual(['T1'])
    expect(s.calls).toEqual([{ minEventsCount: 25 }, { pageId: '1' }, { pageId: '1' }])
  })

  it('works with for await, including the last page', async () => {
    const s = server([['T3', 'T2'], ['T1']])
    const seen: string[][] = []
    for await (const page of createChatHistory(s.fetch)) seen.push(page.threads.map((t) => t.id))
    expect(seen).toEqual([['T2', 'T3'], ['T1']])
  })
})
