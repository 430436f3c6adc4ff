import { z } from 'zod'

/**
 * Stateless page cursors: a `page_id` is the base64url JSON of the original query plus
 * an offset, so it survives restarts and needs no server-side table.
 */
export const encodePageId = (cursor: object): string => Buffer.from(JSON.stringify(cursor)).toString('base64url')

export const decodePageId = <T>(pageId: string, schema: z.ZodType<T>): T | undefined => {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(pageId, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export interface Page<T> {
  items: T[]
  /** Offset of the next page, when there is one. */
  next?: number
  /** Offset of the previous page, when there is one. */
  previous?: number
}

/** A fixed-size page of `items` starting at `offset`. */
export const pageOf = <T>(items: readonly T[], offset: number, size: number): Page<T> => ({
  items: items.slice(offset, offset + size),
  ...(offset + size < items.length ? { next: offset + size } : {}),
  ...(offset > 0 ? { previous: Math.max(0, offset - size) } : {}),
})
