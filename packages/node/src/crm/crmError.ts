/**
 * Errors of the CRM client. The API answers errors in two shapes (bots-and-crm.md §4) and
 * a client must take both: `{errors: [{code, message, meta}]}` and JSON:API errors
 * `{errors: [{status, code, title, detail, source: {pointer, parameter}, meta}]}`. Both
 * become one `CrmError`, which also carries the rate-limit figures of the answer.
 */
import { z } from 'zod'

/** The rate-limit figures of an answer (`x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset`). */
export interface CrmRateLimit {
  /** Requests the organization may make per window. */
  limit: number
  /** Requests left in the current window. */
  remaining: number
  /** When the current window ends. */
  reset: Date
}

/** One entry of an error answer, whichever of the two shapes it came in. */
export interface CrmErrorEntry {
  code?: string
  /** JSON:API: the HTTP status as a string. */
  status?: string
  title?: string
  /** `detail` (JSON:API) or `message` (the other shape). */
  detail?: string
  source?: { pointer?: string; parameter?: string }
  meta?: Record<string, unknown>
}

/**
 * What went wrong. `status` is the HTTP status, or 0 when no answer came (`network`,
 * `timeout`, `aborted`). `code` is the first error entry's code, else one of the client's
 * own: `network`, `timeout`, `aborted`, `invalid_response` (an answer that is not the
 * documented shape), `http_<status>` (an error answer without a code).
 */
export class CrmError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly title?: string
  readonly source?: { pointer?: string; parameter?: string }
  readonly meta?: Record<string, unknown>
  /** Every entry of the error answer (most answers have one). */
  readonly errors: readonly CrmErrorEntry[]
  /** The rate-limit figures of the answer, when it had them. */
  readonly rateLimit?: CrmRateLimit

  constructor(init: {
    status: number
    code: string
    detail: string
    title?: string
    source?: { pointer?: string; parameter?: string }
    meta?: Record<string, unknown>
    errors?: readonly CrmErrorEntry[]
    rateLimit?: CrmRateLimit
    cause?: unknown
  }) {
    super(`${init.code}${init.status > 0 ? ` (HTTP ${init.status})` : ''}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'CrmError'
    this.status = init.status
    this.code = init.code
    this.detail = init.detail
    if (init.title !== undefined) this.title = init.title
    if (init.source !== undefined) this.source = init.source
    if (init.meta !== undefined) this.meta = init.meta
    this.errors = init.errors ?? []
    if (init.rateLimit !== undefined) this.rateLimit = init.rateLimit
  }
}

export const isCrmError = (value: unknown): value is CrmError => value instanceof CrmError

// ---------------------------------------------------------------- parsing

const optionalText = z.string().optional().catch(undefined)

/** Both shapes in one: every member optional, a member of the wrong type ignored. */
const entrySchema = z.object({
  code: optionalText,
  status: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  title: optionalText,
  detail: optionalText,
  message: optionalText,
  source: z.object({ pointer: optionalText, parameter: optionalText }).optional().catch(undefined),
  meta: z.record(z.string(), z.unknown()).optional().catch(undefined),
})

const errorBodySchema = z.object({ errors: z.array(entrySchema).min(1) })

const entryOf = (entry: z.output<typeof entrySchema>): CrmErrorEntry => {
  const detail = entry.detail ?? entry.message
  const out: CrmErrorEntry = {}
  if (entry.code !== undefined) out.code = entry.code
  if (entry.status !== undefined) out.status = entry.status
  if (entry.title !== undefined) out.title = entry.title
  if (detail !== undefined) out.detail = detail
  if (entry.source !== undefined) {
    out.source = {}
    if (entry.source.pointer !== undefined) out.source.pointer = entry.source.pointer
    if (entry.source.parameter !== undefined) out.source.parameter = entry.source.parameter
  }
  if (entry.meta !== undefined) out.meta = entry.meta
  return out
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
}

/** The `CrmError` of an error answer: its body (text, possibly not JSON) in either shape, its status and rate-limit figures. */
export const errorFromResponse = (status: number, bodyText: string, rateLimit: CrmRateLimit | undefined): CrmError => {
  let json: unknown
  try {
    json = JSON.parse(bodyText)
  } catch {
    json = undefined
  }
  const parsed = errorBodySchema.safeParse(json)
  const errors = parsed.success ? parsed.data.errors.map(entryOf) : []
  const first = errors[0]
  return new CrmError({
    status,
    code: first?.code ?? `http_${status}`,
    detail: first?.detail ?? first?.title ?? STATUS_TEXT[status] ?? `HTTP ${status}`,
    ...(first?.title !== undefined ? { title: first.title } : {}),
    ...(first?.source !== undefined ? { source: first.source } : {}),
    ...(first?.meta !== undefined ? { meta: first.meta } : {}),
    errors,
    ...(rateLimit ? { rateLimit } : {}),
  })
}

const headerNumber = (headers: Headers, name: string): number | undefined => {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return undefined
  const value = Number(raw)
  return Number.isFinite(value) && value >= 0 ? value : undefined
}

/** Epoch seconds from here on; smaller values are taken as seconds from now. */
const EPOCH_SECONDS_FROM = 1_000_000_000

/**
 * The rate-limit figures of an answer, when it has all three headers. `x-ratelimit-reset`
 * is read as epoch seconds (the local server sends that); a small value as seconds from
 * `nowMs`.
 */
export const readRateLimit = (headers: Headers, nowMs: number): CrmRateLimit | undefined => {
  const limit = headerNumber(headers, 'x-ratelimit-limit')
  const remaining = headerNumber(headers, 'x-ratelimit-remaining')
  const reset = headerNumber(headers, 'x-ratelimit-reset')
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined
  const resetMs = reset >= EPOCH_SECONDS_FROM ? reset * 1000 : nowMs + reset * 1000
  return { limit, remaining, reset: new Date(resetMs) }
}
