import type { WireError } from './errors'

/** The API version this package speaks. */
export const API_VERSION = '3.6'

/** A client → server frame (customer-rtm §3.1). */
export interface RequestFrame<A extends string = string, P = unknown> {
  version?: string
  request_id?: string
  action: A
  payload?: P
}

/** A server → client response frame (customer-rtm §3.2). */
export interface ResponseFrame<P = unknown> {
  request_id?: string
  action: string
  type: 'response'
  success: boolean
  payload: P
}

/** A server → client push frame (customer-rtm §3.3). */
export interface PushFrame<P = unknown> {
  version?: string
  request_id?: string
  action: string
  type: 'push'
  payload: P
}

export type ServerFrame = ResponseFrame | PushFrame

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const encodeFrame = (frame: RequestFrame | ServerFrame): string => JSON.stringify(frame)

export const requestFrame = <A extends string, P>(action: A, payload: P, requestId?: string): RequestFrame<A, P> =>
  requestId === undefined ? { action, payload } : { request_id: requestId, action, payload }

export const responseFrame = <P>(action: string, payload: P, requestId?: string): ResponseFrame<P> => ({
  ...(requestId === undefined ? {} : { request_id: requestId }),
  action,
  type: 'response',
  success: true,
  payload,
})

export const errorFrame = (action: string, error: WireError, requestId?: string): ResponseFrame<{ error: WireError }> => ({
  ...(requestId === undefined ? {} : { request_id: requestId }),
  action,
  type: 'response',
  success: false,
  payload: { error },
})

export const pushFrame = <P>(action: string, payload: P, requestId?: string): PushFrame<P> => ({
  version: API_VERSION,
  ...(requestId === undefined ? {} : { request_id: requestId }),
  action,
  type: 'push',
  payload,
})

/**
 * Decodes a frame received by a client. Returns `null` for anything that is not a
 * well-formed response or push (such frames are ignored, never thrown on).
 */
export const decodeServerFrame = (text: unknown): ServerFrame | null => {
  if (typeof text !== 'string') return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (!isObject(value) || typeof value.action !== 'string') return null
  if (value.request_id !== undefined && typeof value.request_id !== 'string') return null
  if (value.type === 'response' && typeof value.success !== 'boolean') return null
  if (value.type !== 'response' && value.type !== 'push') return null
  // the parsed object is ours: completed in place rather than copied (this runs for every frame)
  if (value.payload === undefined || value.payload === null) value.payload = {}
  return value as unknown as ServerFrame
}

export type DecodedRequest =
  | { ok: true; frame: RequestFrame<string, Record<string, unknown>> }
  | { ok: false; error: WireError; action: string; requestId?: string }

/**
 * Decodes a frame received by a server. Never throws: a malformed frame yields the
 * documented `validation` error together with whatever `action`/`request_id` could be read.
 */
export const decodeRequestFrame = (text: string): DecodedRequest => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, action: 'unknown', error: { type: 'validation', message: 'Malformed JSON' } }
  }
  if (!isObject(value)) {
    return { ok: false, action: 'unknown', error: { type: 'validation', message: 'Frame must be a JSON object' } }
  }
  const requestId = typeof value.request_id === 'string' ? value.request_id : undefined
  const action = typeof value.action === 'string' ? value.action : undefined
  const fail = (message: string): DecodedRequest => ({
    ok: false,
    action: action ?? 'unknown',
    ...(requestId === undefined ? {} : { requestId }),
    error: { type: 'validation', message },
  })
  if (value.request_id !== undefined && typeof value.request_id !== 'string') return fail('`request_id` must be a string')
  if (action === undefined || action.length === 0) return fail('`action` is required and must be a string')
  if (value.version !== undefined && typeof value.version !== 'string') return fail('`version` must be a string')
  if (value.payload !== undefined && !isObject(value.payload)) return fail('`payload` must be an object')
  const frame: RequestFrame<string, Record<string, unknown>> = {
    action,
    payload: (value.payload as Record<string, unknown> | undefined) ?? {},
    ...(requestId === undefined ? {} : { request_id: requestId }),
    ...(typeof value.version === 'string' ? { version: value.version } : {}),
  }
  return { ok: true, frame }
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A short random request id (base 36), drawn from the given random source. */
export const createRequestId = (random: () => number = Math.random, length = 12): string => {
  let id = ''
  for (let i = 0; i < length; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length) % ID_ALPHABET.length]
  return id
}
