/**
 * A client for the CRM's "Get Customer by ID" (Kustomer, bots-and-crm.md §4):
 * `GET {base}/v1/customers/{id}` with `Authorization: Bearer <API key>`.
 *
 * Failures: an error answer becomes a `CrmError` (`crmError.ts`). A 429 waits until the
 * window resets (`x-ratelimit-reset`) and tries again; a 5xx, or no answer at all, is
 * retried with jittered exponential backoff up to `retry.attempts` tries; any other 4xx
 * fails at once. One deadline (`timeoutMs`) bounds the whole call, waits and retries
 * included: a wait that would pass it fails now with the error that caused it. Aborting
 * the caller's signal ends a request, a wait or a retry at once.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { parseCustomerResponse, type CrmCustomer } from './customer'
import { CrmError, errorFromResponse, readRateLimit, type CrmRateLimit } from './crmError'

/** Where the API is: a base URL (the local server, a regional host), or the organization's subdomain (`https://{subdomain}.api.kustomerapp.com`). */
export type CrmTarget = { baseUrl: string } | { subdomain: string }

export interface CrmRetryOptions {
  /** Tries for a 5xx answer or no answer (the first included). Default 3. */
  attempts?: number
  /** Delay before the second try; it doubles for each next one. Default 250 ms. */
  baseDelayMs?: number
  /** The longest delay between tries. Default 5 000 ms. */
  maxDelayMs?: number
}

export interface CrmRateLimitOptions {
  /** Times a call waits for the window to reset after a 429. Default 2. */
  retries?: number
  /** The longest wait for a reset; a longer one fails with the 429. Default 65 000 ms. */
  maxWaitMs?: number
}

export interface CrmClientOptions {
  /** The API key, sent as `Authorization: Bearer <apiKey>`; its role needs `org.permission.customer.read`. */
  apiKey: string
  /** Deadline of a whole call, waits and retries included. Default 30 000 ms. */
  timeoutMs?: number
  /** The fetch to use (tests, proxies). Default the global `fetch`. */
  fetch?: typeof fetch
  retry?: CrmRetryOptions
  rateLimit?: CrmRateLimitOptions
  /** Randomness of the backoff's jitter, in [0, 1). Default `Math.random`. */
  random?: () => number
  /** The wall clock in epoch ms (reads `x-ratelimit-reset`). Default `Date.now`. */
  now?: () => number
}

export interface CrmRequestOptions {
  /** Aborting it ends the call at once with a `CrmError` of code `aborted`. */
  signal?: AbortSignal
}

export interface CrmClient {
  /** The base URL requests go to (no trailing slash). */
  readonly baseUrl: string
  /** The rate-limit figures of the latest answer that had them. */
  readonly rateLimit: CrmRateLimit | undefined
  /** The customer with this id; rejects with a `CrmError` (404 `not_found` for an unknown id). */
  getCustomer(id: string, options?: CrmRequestOptions): Promise<CrmCustomer>
  /** Like `getCustomer`, but `null` for an unknown id (404); other failures still reject. */
  findCustomer(id: string, options?: CrmRequestOptions): Promise<CrmCustomer | null>
}

export const DEFAULT_CRM_TIMEOUT_MS = 30_000
const DEFAULT_ATTEMPTS = 3
const DEFAULT_BASE_DELAY_MS = 250
const DEFAULT_MAX_DELAY_MS = 5_000
const DEFAULT_RATE_LIMIT_RETRIES = 2
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 65_000
/** Added to a reset wait, so the next try lands after the window changed (clock rounding). */
const RESET_MARGIN_MS = 50

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** The base URL of a target: a subdomain becomes the organization's host; a base URL loses its trailing slashes. */
export const crmBaseUrl = (target: CrmTarget): string => {
  if ('subdomain' in target) {
    if (!SUBDOMAIN.test(target.subdomain)) throw new TypeError(`Not an organization subdomain: ${JSON.stringify(target.subdomain)}`)
    return `https://${target.subdomain.toLowerCase()}.api.kustomerapp.com`
  }
  const url = new URL(target.baseUrl)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`The CRM base URL must be http(s): ${target.baseUrl}`)
  return url.href.replace(/\/+$/, '')
}

/** `min(max, base·2^(attempt−1))·(1 − 0.5·random)`: the core's reconnect backoff, for retries of one call. */
const backoff = (attempt: number, base: number, max: number, random: () => number): number =>
  Math.min(max, base * 2 ** Math.max(0, attempt - 1)) * (1 - 0.5 * random())

const positive = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback

export const createCrmClient = (target: CrmTarget, options: CrmClientOptions): CrmClient => {
  const baseUrl = crmBaseUrl(target)
  if (options.apiKey.trim() === '') throw new TypeError('The CRM client needs an API key')
  const fetchImpl = options.fetch ?? globalThis.fetch
  const timeoutMs = positive(options.timeoutMs, DEFAULT_CRM_TIMEOUT_MS)
  const attempts = Math.max(1, Math.floor(positive(options.retry?.attempts, DEFAULT_ATTEMPTS)))
  const baseDelayMs = positive(options.retry?.baseDelayMs, DEFAULT_BASE_DELAY_MS)
  const maxDelayMs = positive(options.retry?.maxDelayMs, DEFAULT_MAX_DELAY_MS)
  const rateLimitRetries = Math.floor(positive(options.rateLimit?.retries, DEFAULT_RATE_LIMIT_RETRIES))
  const maxRateLimitWaitMs = positive(options.rateLimit?.maxWaitMs, DEFAULT_MAX_RATE_LIMIT_WAIT_MS)
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  let latestRateLimit: CrmRateLimit | undefined

  const getCustomer = async (id: string, request: CrmRequestOptions = {}): Promise<CrmCustomer> => {
    if (id === '') throw new TypeError('A customer id is required')
    const callerSignal = request.signal
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout
    const deadline = performance.now() + timeoutMs
    const url = `${baseUrl}/v1/customers/${encodeURIComponent(id)}`

    /** The error of an ended call: the caller's abort, else the deadline. */
    const stopped = (cause: unknown): CrmError =>
      callerSignal?.aborted
        ? new CrmError({ status: 0, code: 'aborted', detail: 'The request was aborted', cause: callerSignal.reason })
        : new CrmError({ status: 0, code: 'timeout', detail: `No answer within ${timeoutMs} ms`, cause })

    /** Waits `ms` before the next try, or throws `failure` when the wait would pass the deadline. */
    const wait = async (ms: number, failure: CrmError): Promise<void> => {
      if (performance.now() + ms >= deadline) throw failure
      try {
        await sleep(ms, undefined, { signal })
      } catch (error) {
        throw stopped(error)
      }
    }

    let failures = 0
    let rateLimited = 0
    for (;;) {
      if (signal.aborted) throw stopped(signal.reason)
      let response: Response
      let body: string
      try {
        response = await fetchImpl(url, { method: 'GET', headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' }, signal })
        body = await response.text()
      } catch (error) {
        if (signal.aborted) throw stopped(error)
        const failure = new CrmError({ status: 0, code: 'network', detail: error instanceof Error ? error.message : 'The request failed', cause: error })
        failures += 1
        if (failures >= attempts) throw failure
        await wait(backoff(failures, baseDelayMs, maxDelayMs, random), failure)
        continue
      }
      const rateLimit = readRateLimit(response.headers, now())
      if (rateLimit) latestRateLimit = rateLimit

      if (response.ok) {
        let json: unknown
        try {
          json = JSON.parse(body)
        } catch {
          throw new CrmError({ status: response.status, code: 'invalid_response', detail: 'The answer is not JSON', ...(rateLimit ? { rateLimit } : {}) })
        }
        const parsed = parseCustomerResponse(json)
        if (!parsed.ok) throw new CrmError({ status: response.status, code: 'invalid_response', detail: parsed.issue, ...(rateLimit ? { rateLimit } : {}) })
        return parsed.customer
      }

      const failure = errorFromResponse(response.status, body, rateLimit)
      if (response.status === 429) {
        if (rateLimited >= rateLimitRetries) throw failure
        rateLimited += 1
        const untilReset = rateLimit ? rateLimit.reset.getTime() - now() + RESET_MARGIN_MS : undefined
        const delay = untilReset !== undefined && untilReset > 0 ? untilReset : backoff(rateLimited, baseDelayMs, maxDelayMs, random)
        if (delay > maxRateLimitWaitMs) throw failure
        await wait(delay, failure)
        continue
      }
      if (response.status >= 500) {
        failures += 1
        if (failures >= attempts) throw failure
        await wait(backoff(failures, baseDelayMs, maxDelayMs, random), failure)
        continue
      }
      throw failure
    }
  }

  return {
    baseUrl,
    get rateLimit() {
      return latestRateLimit
    },
    getCustomer,
    async findCustomer(id, request) {
      try {
        return await getCustomer(id, request)
      } catch (error) {
        if (error instanceof CrmError && error.status === 404) return null
        throw error
      }
    },
  }
}
