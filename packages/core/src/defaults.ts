import { LIMITS } from '@rapport/protocol'

/** Timings and retry figures of the connection; every one can be overridden. */
export interface ConnectionPolicy {
  /** The token (identity provider or token endpoint) must come within this. */
  tokenTimeoutMs: number
  /** Socket open must complete within this. */
  connectTimeoutMs: number
  /** `login` must be answered within this (protocol figure). */
  loginTimeoutMs: number
  /** A `ping` this long after the last answer (protocol: every 15 s). */
  pingIntervalMs: number
  /** No frame this long after a ping: the connection is unstable. */
  pongTimeoutMs: number
  /** Unstable this long with no frame at all: the socket is replaced. */
  unstableGraceMs: number
  /** After a login, catching up on missed events is tried this many times before the session is replaced. */
  catchUpAttempts: number
  retry: RetryPolicy
}

/**
 * Reconnection backoff with full jitter (`connection/retryPolicy.ts`): attempt n waits a
 * uniform draw in [0, min(maxDelayMs, base·2^(n−1))), then at least until `minIntervalMs`
 * after the previous attempt began.
 */
export interface RetryPolicy {
  /** The first retry's window: it comes within this (1 s: anywhere in [0, 1 s)); each next window doubles. */
  baseDelayMs: number
  /** The first window after reasons that ask for a slower retry (e.g. `service_temporarily_unavailable`). */
  slowBaseDelayMs: number
  /** The widest window (30 s): the longest a retry ever waits. */
  maxDelayMs: number
  /** Two connection attempts never start closer than this. */
  minIntervalMs: number
  /** Reconnection attempts before pausing with `connection_lost`; `Infinity` never gives up. */
  maxAttempts: number
}

// a pure call: reading LIMITS' fields would otherwise keep this in every bundle
export const DEFAULTS: ConnectionPolicy = /* @__PURE__ */ ((): ConnectionPolicy => ({
  tokenTimeoutMs: 15_000,
  connectTimeoutMs: 10_000,
  loginTimeoutMs: LIMITS.loginTimeoutMs,
  pingIntervalMs: LIMITS.pingIntervalMs,
  pongTimeoutMs: 5_000,
  unstableGraceMs: 15_000,
  catchUpAttempts: 3,
  retry: {
    baseDelayMs: 1_000,
    slowBaseDelayMs: 5_000,
    maxDelayMs: 30_000,
    minIntervalMs: 1_000,
    maxAttempts: Number.POSITIVE_INFINITY,
  },
}))()

export const resolvePolicy = (overrides: Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> } = {}): ConnectionPolicy => ({
  ...DEFAULTS,
  ...overrides,
  retry: { ...DEFAULTS.retry, ...overrides.retry },
})
