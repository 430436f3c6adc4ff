/**
 * `list_threads` for both sides (customer-rtm §5.1, agent-rtm §3): newest first by
 * default, `limit` threads per page or, with `min_events_count`, as many threads as it
 * takes to reach that many events. The page cursor keeps the original query.
 */
import { LIMITS, type WireListThreadsResponse } from '@rapport/protocol'
import { z } from 'zod'
import type { ChatRecord, ThreadRecord } from '../storage/storage'
import type { DomainContext } from './context'
import { DomainError } from './errors'
import type { Side } from './ports'
import { threadView, visibleEvents } from './views'

/** The page cursor; `limit` and `min_events_count` stay within the action's maxima even when signed. */
const cursorSchema = z.object({
  offset: z.number().int().nonnegative(),
  sort_order: z.enum(['asc', 'desc']),
  limit: z.number().int().positive().max(LIMITS.listThreadsMaxLimit).optional(),
  min_events_count: z.number().int().positive().max(LIMITS.minEventsCountMax).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Size of the page that produced this cursor (to step back). */
  step: z.number().int().positive().optional(),
})
type Cursor = z.output<typeof cursorSchema>

export interface ListThreadsQuery {
  sort_order?: 'asc' | 'desc' | undefined
  limit?: number | undefined
  page_id?: string | undefined
  min_events_count?: number | undefined
  filters?: { from?: string | undefined; to?: string | undefined } | undefined
}

export const listThreads = (ctx: DomainContext, chat: ChatRecord, query: ListThreadsQuery, side: Side): WireListThreadsResponse => {
  let cursor: Cursor
  if (query.page_id !== undefined) {
    const decoded = ctx.pageIds.decode(query.page_id, cursorSchema)
    if (!decoded) throw new DomainError('validation', 'Invalid `page_id`')
    cursor = decoded
  } else {
    cursor = {
      offset: 0,
      sort_order: query.sort_order ?? 'desc',
      ...(query.min_events_count === undefined ? { limit: query.limit ?? LIMITS.listThreadsDefaultLimit } : { min_events_count: query.min_events_count }),
      ...(query.filters?.from === undefined ? {} : { from: query.filters.from }),
      ...(query.filters?.to === undefined ? {} : { to: query.filters.to }),
    }
  }
  const from = cursor.from === undefined ? undefined : Date.parse(cursor.from)
  const to = cursor.to === undefined ? undefined : Date.parse(cursor.to)
  const all = chat.thread_ids
    .flatMap((id) => ctx.storage.getThread(chat.organization_id, id) ?? [])
    .filter((t: ThreadRecord) => {
      const created = Date.parse(t.created_at)
      return (from === undefined || created >= from) && (to === undefined || created <= to)
    })
  if (cursor.sort_order === 'desc') all.reverse()

  const page: Array<{ thread: ThreadRecord; events: ReturnType<typeof visibleEvents> }> = []
  let index = cursor.offset
  let eventCount = 0
  while (index < all.length) {
    const thread = all[index]
    if (!thread) break
    if (cursor.min_events_count === undefined ? page.length >= (cursor.limit ?? LIMITS.listThreadsDefaultLimit) : eventCount >= cursor.min_events_count) break
    const events = visibleEvents(ctx, thread, side)
    page.push({ thread, events })
    eventCount += events.length
    index++
  }
  const size = Math.max(1, page.length)
  const { offset: _offset, step: previousStep, ...query_ } = cursor
  return {
    threads: page.map(({ thread, events }) => threadView(ctx, thread, side, events)),
    found_threads: all.length,
    ...(index < all.length ? { next_page_id: ctx.pageIds.encode({ ...query_, offset: index, step: size }) } : {}),
    ...(cursor.offset > 0
      ? { previous_page_id: ctx.pageIds.encode({ ...query_, offset: Math.max(0, cursor.offset - (previousStep ?? size)), step: previousStep ?? size }) }
      : {}),
  }
}
