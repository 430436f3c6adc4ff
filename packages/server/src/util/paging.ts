import { createHmac, timingSafeEqual } from 'node:crypto'
import type { z } from 'zod'

/**
 * Stateless page cursors: a `page_id` is the base64url JSON of the original query plus an
 * offset, then `.` and an HMAC-SHA-256 of that text (128 bits) under the server's
 * `pageIdSecret`. It needs no server-side table and survives a restart with the same
 * secret; a page id whose signature does not match (edited, or from another secret) is
 * refused like any malformed one, so a client cannot hand the server its own `limit`.
 * Each decoder's schema still bounds what a cursor may hold.
 */
export class PageIds {
  private readonly key: Buffer

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8')
  }

  encode(cursor: object): string {
    const body = Buffer.from(JSON.stringify(cursor)).toString('base64url')
    return `${body}.${this.sign(body)}`
  }

  /** The cursor of a page id this server signed and the schema accepts, else `undefined`. */
  decode<T>(pageId: string, schema: z.ZodType<T>): T | undefined {
    const dot = pageId.indexOf('.')
    if (dot <= 0) return undefined
    const body = pageId.slice(0, dot)
    const mac = Buffer.from(pageId.slice(dot + 1), 'utf8')
    const expected = Buffer.from(this.sign(body), 'utf8')
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
      return parsed.success ? parsed.data : undefined
    } catch {
      return undefined
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16).toString('base64url')
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
