/**
 * Abuse limits of the server: every figure is named here with its default, and can be set
 * per server (`createServer({limits: {…}})`) or by an environment variable; an option wins
 * over the variable, the variable over the default. The README's "Security → Limits"
 * section lists them all.
 *
 * Variable names are mechanical: `RAPPORT_LIMIT_` + the figure's name in upper snake case
 * (`requestsPerSecond` → `RAPPORT_LIMIT_REQUESTS_PER_SECOND`); field lengths use
 * `RAPPORT_LIMIT_FIELD_` (`fields.name` → `RAPPORT_LIMIT_FIELD_NAME`); the page-id secret is
 * `RAPPORT_PAGE_ID_SECRET`. For the rates, quotas and the customer expiry, `0` disables the
 * limit. A value that is not a non-negative number is ignored (the default applies).
 *
 * Platform figures come first (customer-rtm.md §11, http.md §4): the 16 KB message text,
 * 100 session fields, 10 rich-message elements with 13 buttons, the 10 MiB upload and the
 * `list_*` maxima stay in `@rapport/protocol`'s `LIMITS`. The platform states no
 * per-socket rate, upload quota or field length besides those; the defaults below are the
 * server's own and sized so that a browser customer, a bot serving many chats and the chaos
 * soak (50 customers, 3 bots) never meet them.
 */
import { randomBytes } from 'node:crypto'

/** Maximum lengths of free-text request fields, in characters (UTF-16 code units) unless stated. */
export interface FieldLimits {
  /** Customer name (`login.customer.name`, `update_customer.name`, omnichannel names). Default 255. */
  name: number
  /** Customer email. Default 254 (the longest address RFC 5321 allows). */
  email: number
  /** Every URL: avatar, page URL, referrer, `file` event URL, rich-message image/button URLs, `get_url_info`. Default 2048. */
  url: number
  /** Titles and labels: page title, rich-message element title and button text, form field labels, thinking-indicator title. Default 512. */
  title: number
  /**
   * Identifiers and short keywords: chat/thread/event ids, `custom_id`, property namespaces
   * and names, session-field and storage keys, form/template/postback ids, event subtypes.
   * Default 256.
   */
  id: number
  /** Short free text: address parts, phone number, time zone, locale, currency, colour. Default 255. */
  shortText: number
  /** The value of one session field. Default 1024. */
  sessionFieldValue: number
  /** A `customer_side_storage` value. Default 4096. */
  storageValue: number
  /** One property value, measured as its JSON text. Default 4096. */
  propertyValue: number
  /** The answer(s) of one filled-form field, measured as JSON text. Default 4096. */
  formAnswer: number
  /** One filled-form field as a whole (answer, label, extra keys), measured as JSON text. Default 16384. */
  formField: number
  /**
   * Longer text besides `message.text` (which keeps the platform's 16 KB): system message
   * text, sneak peek, event preview, element subtitle, alternative text, thinking-indicator
   * description, postback value. In bytes of UTF-8. Default 16384.
   */
  text: number
  /** The `content` of a `custom` event or a `multicast`, measured as JSON text. Default 65536. */
  customContent: number
  /** The `login.token` string. Default 4096. */
  token: number
}

export interface ServerLimits {
  /** Requests a socket may make per second, sustained (token bucket refill); more answer `too_many_requests`. Default 100. */
  requestsPerSecond: number
  /** Requests a socket may make at once (token bucket size). Default 500. */
  requestBurst: number
  /**
   * Outgoing bytes buffered for a socket (not yet taken by the network) above which the
   * server stops reading that socket's frames; it reads again once the buffer is below half
   * of this. Default 1 MiB.
   */
  outgoingHighWaterBytes: number
  /** Buffered outgoing bytes over which the socket is closed (1008). Default 8 MiB. */
  outgoingHardCapBytes: number
  /** A socket whose outgoing buffer stays over the high-water mark this long is closed (1008). Default 30 000 ms. */
  slowReaderTimeoutMs: number
  /** Upload attempts per customer per window; more answer 429 `too_many_requests`. Default 20. */
  uploadsPerWindow: number
  /** Bytes of uploaded files per customer per window. Default 50 MiB. */
  uploadBytesPerWindow: number
  /** The upload window. Default 600 000 ms (10 minutes). */
  uploadWindowMs: number
  /** New customers the token endpoint creates per client address per window; more answer `temporarily_unavailable`. Default 100. */
  customersPerAddress: number
  /** The customer-creation window. Default 600 000 ms (10 minutes). */
  customerWindowMs: number
  /** A customer that never logged in (no chats, no greeting, not banned) is deleted, with its tokens, after this age. Default 86 400 000 ms (24 h). */
  unusedCustomerTtlMs: number
  /**
   * Requests one API key may make to the CRM endpoint (`GET /v1/customers/{id}`) per window;
   * more answer 429 until the window resets (the `x-ratelimit-*` headers tell when). The
   * platform's budget is per organization and minute (300–2,000, bots-and-crm.md §4); the
   * server's default is small so that a demo or test meets it. Default 60.
   */
  crmRequestsPerWindow: number
  /** The CRM endpoint's fixed window; it starts with a key's first request. Default 60 000 ms. */
  crmWindowMs: number
  /** How often the sweep (expiry of unused customers, pruning of the limiters' memory) runs. Default 600 000 ms (10 minutes). */
  sweepIntervalMs: number
  /**
   * Key of the HMAC that signs `page_id` cursors. Default: a random key per process, so
   * page ids survive a restart of a server inside the same process but not a new process;
   * set it to keep them valid across processes.
   */
  pageIdSecret: string
  fields: FieldLimits
}

/** What `createServer({limits})` takes: any subset of the figures. */
export type ServerLimitsInput = Partial<Omit<ServerLimits, 'fields'>> & { fields?: Partial<FieldLimits> }

const MiB = 1024 * 1024

export const DEFAULT_FIELD_LIMITS: Readonly<FieldLimits> = Object.freeze({
  name: 255,
  email: 254,
  url: 2048,
  title: 512,
  id: 256,
  shortText: 255,
  sessionFieldValue: 1024,
  storageValue: 4096,
  propertyValue: 4096,
  formAnswer: 4096,
  formField: 16_384,
  text: 16_384,
  customContent: 65_536,
  token: 4096,
})

/** One random key per process (see `ServerLimits.pageIdSecret`). */
const PROCESS_PAGE_ID_SECRET = randomBytes(32).toString('base64url')

export const DEFAULT_LIMITS: Readonly<Omit<ServerLimits, 'pageIdSecret' | 'fields'>> = Object.freeze({
  requestsPerSecond: 100,
  requestBurst: 500,
  outgoingHighWaterBytes: 1 * MiB,
  outgoingHardCapBytes: 8 * MiB,
  slowReaderTimeoutMs: 30_000,
  uploadsPerWindow: 20,
  uploadBytesPerWindow: 50 * MiB,
  uploadWindowMs: 600_000,
  customersPerAddress: 100,
  customerWindowMs: 600_000,
  unusedCustomerTtlMs: 86_400_000,
  crmRequestsPerWindow: 60,
  crmWindowMs: 60_000,
  sweepIntervalMs: 600_000,
})

type NumericLimit = keyof typeof DEFAULT_LIMITS

const upperSnake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()

/** The environment variable of a figure, e.g. `requestsPerSecond` → `RAPPORT_LIMIT_REQUESTS_PER_SECOND`. */
export const limitEnvName = (name: NumericLimit): string => `RAPPORT_LIMIT_${upperSnake(name)}`
/** The environment variable of a field length, e.g. `name` → `RAPPORT_LIMIT_FIELD_NAME`. */
export const fieldEnvName = (name: keyof FieldLimits): string => `RAPPORT_LIMIT_FIELD_${upperSnake(name)}`
export const PAGE_ID_SECRET_ENV = 'RAPPORT_PAGE_ID_SECRET'

const fromEnv = (env: NodeJS.ProcessEnv, name: string): number | undefined => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = Number(raw)
  return Number.isFinite(value) && value >= 0 ? value : undefined
}

const valid = (value: number | undefined): number | undefined =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined

/** The figures of a server: `input` over the environment over the defaults. */
export const resolveLimits = (input: ServerLimitsInput = {}, env: NodeJS.ProcessEnv = process.env): ServerLimits => {
  const numbers = {} as Record<NumericLimit, number>
  for (const name of Object.keys(DEFAULT_LIMITS) as NumericLimit[]) {
    numbers[name] = valid(input[name]) ?? fromEnv(env, limitEnvName(name)) ?? DEFAULT_LIMITS[name]
  }
  const fields = {} as FieldLimits
  for (const name of Object.keys(DEFAULT_FIELD_LIMITS) as Array<keyof FieldLimits>) {
    const chosen = valid(input.fields?.[name]) ?? fromEnv(env, fieldEnvName(name)) ?? DEFAULT_FIELD_LIMITS[name]
    // a length of 0 would refuse every value: keep at least 1
    fields[name] = Math.max(1, Math.floor(chosen))
  }
  const secret = input.pageIdSecret ?? env[PAGE_ID_SECRET_ENV] ?? ''
  return { ...numbers, pageIdSecret: secret.length > 0 ? secret : PROCESS_PAGE_ID_SECRET, fields }
}

// ---------------------------------------------------------------- field lengths in schemas

/**
 * The field lengths the request schemas check right now. The schemas are built once per
 * process (`rtm/schemas.ts`); a server's own figures apply while its handler parses a
 * payload (`withFieldLimits`, called around each synchronous parse), so two servers in one
 * process each keep their own.
 */
let activeFieldLimits: FieldLimits = { ...DEFAULT_FIELD_LIMITS }

export const fieldLimit = (name: keyof FieldLimits): number => activeFieldLimits[name]

/** Runs `fn` (synchronous) with `limits` as the field lengths the schemas check. */
export const withFieldLimits = <T>(limits: FieldLimits, fn: () => T): T => {
  const previous = activeFieldLimits
  activeFieldLimits = limits
  try {
    return fn()
  } finally {
    activeFieldLimits = previous
  }
}

// ---------------------------------------------------------------- limiters

/**
 * A token bucket: `burst` tokens, refilled at `ratePerSecond`; each request takes one.
 * A rate of 0 disables it (every request passes).
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = Math.max(1, burst)
    this.last = now()
  }

  take(): boolean {
    if (this.ratePerSecond <= 0) return true
    const now = this.now()
    this.tokens = Math.min(Math.max(1, this.burst), this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

interface WindowEntry {
  at: number
  bytes: number
}

/**
 * A sliding window per key: at most `count` entries and at most `bytes` bytes in total
 * within the last `windowMs`. A `count` or `bytes` of 0 lifts that bound; a `windowMs` of 0
 * disables the limiter. Keys whose entries all expired are dropped by `prune`.
 */
export class WindowLimiter {
  private readonly entries = new Map<string, WindowEntry[]>()

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly bytes = 0,
  ) {}

  get enabled(): boolean {
    return this.windowMs > 0 && (this.count > 0 || this.bytes > 0)
  }

  /** Live entries of a key (expired ones dropped). */
  private live(key: string, now: number): WindowEntry[] {
    const list = (this.entries.get(key) ?? []).filter((entry) => entry.at > now - this.windowMs)
    if (list.length > 0) this.entries.set(key, list)
    else this.entries.delete(key)
    return list
  }

  /** Bytes counted for a key within the window. */
  usedBytes(key: string): number {
    return this.live(key, this.now()).reduce((sum, entry) => sum + entry.bytes, 0)
  }

  /**
   * Takes one slot for `key` counting `bytes`, or returns `undefined` when the count or the
   * byte budget would be exceeded. The returned entry's `bytes` may be corrected later
   * (`settle`).
   */
  take(key: string, bytes = 0): WindowEntry | undefined {
    const now = this.now()
    if (!this.enabled) return { at: now, bytes }
    const list = this.live(key, now)
    if (this.count > 0 && list.length >= this.count) return undefined
    if (this.bytes > 0 && list.reduce((sum, entry) => sum + entry.bytes, 0) + bytes > this.bytes) return undefined
    const entry = { at: now, bytes }
    list.push(entry)
    this.entries.set(key, list)
    return entry
  }

  /**
   * Sets the bytes an entry counts (the real size once known); `false` when that would take
   * the key over its byte budget (the entry then counts 0 bytes, still one attempt).
   */
  settle(key: string, entry: WindowEntry, bytes: number): boolean {
    entry.bytes = 0
    if (!this.enabled || this.bytes <= 0) return true
    const others = this.live(key, this.now()).reduce((sum, e) => sum + e.bytes, 0)
    if (others + bytes > this.bytes) return false
    entry.bytes = bytes
    return true
  }

  /** Drops expired entries and empty keys (memory stays proportional to recent use). */
  prune(): void {
    const now = this.now()
    for (const key of [...this.entries.keys()]) this.live(key, now)
  }

  get size(): number {
    return this.entries.size
  }
}

/** A key's standing in its window after a request was counted (or refused). */
export interface WindowCount {
  allowed: boolean
  limit: number
  remaining: number
  /** Epoch ms at which the key's window ends. */
  resetAtMs: number
}

/**
 * A fixed window per key, as the platform's rate limits are: a key's window starts with its
 * first request and lasts `windowMs`; within it at most `limit` requests pass. A `limit` or
 * `windowMs` of 0 disables it (`take` answers `undefined`).
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { startMs: number; count: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  get enabled(): boolean {
    return this.limit > 0 && this.windowMs > 0
  }

  /** Counts one request of `key`; `allowed` false when its window is full. */
  take(key: string): WindowCount | undefined {
    if (!this.enabled) return undefined
    const now = this.now()
    let window = this.windows.get(key)
    if (!window || now >= window.startMs + this.windowMs) {
      window = { startMs: now, count: 0 }
      this.windows.set(key, window)
    }
    const allowed = window.count < this.limit
    if (allowed) window.count += 1
    return { allowed, limit: this.limit, remaining: this.limit - window.count, resetAtMs: window.startMs + this.windowMs }
  }

  /** Drops the windows that ended. */
  prune(): void {
    const now = this.now()
    for (const [key, window] of this.windows) if (now >= window.startMs + this.windowMs) this.windows.delete(key)
  }

  get size(): number {
    return this.windows.size
  }
}

/** The per-server limiters that outlive a single request. */
export interface ServerLimiters {
  /** Whether the token endpoint may create one more customer for this client address (and counts it). */
  allowCustomerCreation(address: string): boolean
  /** Upload attempts and bytes per customer (`organization id` + customer id). */
  readonly uploads: WindowLimiter
  /** Requests per CRM API key (`crmRequestsPerWindow` per `crmWindowMs`). */
  readonly crm: FixedWindowCounter
  /** Drops expired entries of every limiter. */
  prune(): void
}

export const createLimiters = (limits: ServerLimits, now: () => number = Date.now): ServerLimiters => {
  const customers = new WindowLimiter(limits.customersPerAddress, limits.customerWindowMs, now)
  const uploads = new WindowLimiter(limits.uploadsPerWindow, limits.uploadWindowMs, now, limits.uploadBytesPerWindow)
  const crm = new FixedWindowCounter(limits.crmRequestsPerWindow, limits.crmWindowMs, now)
  return {
    allowCustomerCreation: (address) => customers.take(address) !== undefined,
    uploads,
    crm,
    prune() {
      customers.prune()
      uploads.prune()
      crm.prune()
    },
  }
}

// `createServer({limits})` (a member of `ServerOptions`, declared here so that the limits
// stay in this file).
declare module './options' {
  interface ServerOptions {
    /** Abuse limits; each figure defaults to its environment variable, then to `DEFAULT_LIMITS`/`DEFAULT_FIELD_LIMITS`. */
    limits?: ServerLimitsInput
  }
}
