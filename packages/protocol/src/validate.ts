/**
 * Local validation of outgoing SDK calls: a call that the server would reject as
 * malformed fails here with `VALIDATION` before any frame is sent. Each function
 * returns a message, or `null` when the input is acceptable.
 */
import { LIMITS } from './limits'
import type { OutgoingEvent } from './sdk'

const encoder = new TextEncoder()
const utf8Bytes = (text: string): number => encoder.encode(text).length

/** Whether `text` takes more than `limit` bytes of UTF-8: encoded only when its length alone cannot tell (≤ 3 bytes per UTF-16 unit). */
const overUtf8Limit = (text: string, limit: number): boolean => text.length * 3 > limit && (text.length > limit || utf8Bytes(text) > limit)

export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0

export const validateOutgoingEvent = (event: unknown): string | null => {
  if (typeof event !== 'object' || event === null) return '`event` must be an object'
  const e = event as Partial<OutgoingEvent> & Record<string, unknown>
  if (e.customId !== undefined && typeof e.customId !== 'string') return '`event.customId` must be a string'
  if (e.properties !== undefined && (typeof e.properties !== 'object' || e.properties === null))
    return '`event.properties` must be an object'
  switch (e.type) {
    case 'message':
      if (typeof e.text !== 'string') return '`event.text` must be a string'
      if (overUtf8Limit(e.text, LIMITS.messageTextBytes))
        return `\`event.text\` exceeds ${LIMITS.messageTextBytes} bytes of UTF-8`
      return null
    case 'file':
      return isNonEmptyString(e.url) ? null : '`event.url` must be a non-empty string'
    case 'filled_form':
      if (!isNonEmptyString(e.formId)) return '`event.formId` must be a non-empty string'
      return Array.isArray(e.fields) ? null : '`event.fields` must be an array'
    case 'system_message':
      return typeof e.text === 'string' ? null : '`event.text` must be a string'
    case 'custom':
      return null
    default:
      return `event type ${JSON.stringify(e.type)} cannot be sent by a customer`
  }
}

/** Checks that each named field of `params` is a non-empty string. */
export const requireStrings = (params: unknown, ...names: string[]): string | null => {
  if (typeof params !== 'object' || params === null) return 'parameters must be an object'
  for (const name of names) {
    if (!isNonEmptyString((params as Record<string, unknown>)[name])) return `\`${name}\` must be a non-empty string`
  }
  return null
}
