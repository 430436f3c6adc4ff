import type { RetryPolicy } from '../defaults'

/** The widest delay before attempt `attempt` (1-based): `min(max, base·2^(attempt−1))`. */
export const delayCeiling = (attempt: number, policy: RetryPolicy, slow = false): number => {
  const base = slow ? policy.slowBaseDelayMs : policy.baseDelayMs
  return Math.min(policy.maxDelayMs, base * 2 ** Math.max(0, attempt - 1))
}

/**
 * Delay before reconnection attempt `attempt` (1-based): exponential backoff with full
 * jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), a uniform draw over the
 * whole window below the capped exponential: `random·min(max, base·2^(attempt−1))`. With
 * the defaults the first retry falls anywhere in [0, 1 s), the second in [0, 2 s)…, the
 * cap's in [0, 30 s).
 *
 * A deliberate departure from STYLE §3's `min(max, base·2^(attempt−1))·(1 − 0.5·random)`
 * (a draw in [half, full]): with it every client dropped by the same server failure tried
 * again within the same 0.5–1 s, and a restarted server met its clients in one dense wave.
 * Drawing over the full window spreads them twice as wide and evenly (ARCHITECTURE: "full
 * jitter and a cap"). It is still a pure function of (attempt, policy, random) — the
 * decorrelated variant would need the previous delay — and a draw near 0 makes no tight
 * loop: `spacedDelay` keeps two attempts `minIntervalMs` apart.
 */
export const nextDelay = (attempt: number, policy: RetryPolicy, random: () => number, slow = false): number =>
  delayCeiling(attempt, policy, slow) * random()

/** The delay, stretched so that attempts start at least `minIntervalMs` apart. */
export const spacedDelay = (delay: number, sinceLastAttemptMs: number, policy: RetryPolicy): number =>
  Math.max(delay, policy.minIntervalMs - sinceLastAttemptMs, 0)
