import type { RetryPolicy } from '../defaults'

/**
 * Delay before reconnection attempt `attempt` (1-based): exponential from the base,
 * capped, with jitter that keeps it in [half, full] so that many clients dropped
 * together spread out: `min(max, base·2^(attempt−1))·(1 − 0.5·random)`.
 */
export const nextDelay = (attempt: number, policy: RetryPolicy, random: () => number, slow = false): number => {
  const base = slow ? policy.slowBaseDelayMs : policy.baseDelayMs
  const exponential = Math.min(policy.maxDelayMs, base * 2 ** Math.max(0, attempt - 1))
  return exponential * (1 - 0.5 * random())
}

/** The delay, stretched so that attempts start at least `minIntervalMs` apart. */
export const spacedDelay = (delay: number, sinceLastAttemptMs: number, policy: RetryPolicy): number =>
  Math.max(delay, policy.minIntervalMs - sinceLastAttemptMs, 0)
