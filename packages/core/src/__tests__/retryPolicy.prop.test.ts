import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nextDelay, spacedDelay } from '../connection/retryPolicy'
import { DEFAULTS, type RetryPolicy } from '../defaults'

const attempt = fc.integer({ min: 1, max: 60 })
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

/** Any sane retry policy: positive base ≤ slow base, cap at least the base. */
const policyArb: fc.Arbitrary<RetryPolicy> = fc
  .record({
    baseDelayMs: fc.integer({ min: 1, max: 10_000 }),
    slowExtra: fc.integer({ min: 0, max: 20_000 }),
    maxExtra: fc.integer({ min: 0, max: 120_000 }),
    minIntervalMs: fc.integer({ min: 0, max: 10_000 }),
  })
  .map(({ baseDelayMs, slowExtra, maxExtra, minIntervalMs }) => ({
    baseDelayMs,
    slowBaseDelayMs: baseDelayMs + slowExtra,
    maxDelayMs: baseDelayMs + slowExtra + maxExtra,
    minIntervalMs,
    maxAttempts: Number.POSITIVE_INFINITY,
  }))

const policies = fc.oneof(fc.constant(DEFAULTS.retry), policyArb)
const upper = (n: number, p: RetryPolicy, slow = false) => Math.min(p.maxDelayMs, (slow ? p.slowBaseDelayMs : p.baseDelayMs) * 2 ** (n - 1))

describe('retry policy properties', () => {
  it('nextDelay lies in [½·min(max, base·2^(n−1)), min(max, base·2^(n−1))]', () =>
    fc.assert(
      fc.property(attempt, draw, policies, fc.boolean(), (n, r, p, slow) => {
        const ms = nextDelay(n, p, () => r, slow)
        const hi = upper(n, p, slow)
        expect(ms).toBeGreaterThanOrEqual(hi / 2)
        expect(ms).toBeLessThanOrEqual(hi)
      }),
    ))

  it('nextDelay never exceeds maxDelayMs and is never negative (defaults, the STYLE example)', () =>
    fc.assert(
      fc.property(attempt, draw, (n, r) => {
        const ms = nextDelay(n, DEFAULTS.retry, () => r)
        return ms >= 0 && ms <= DEFAULTS.retry.maxDelayMs
      }),
    ))

  it('the upper bound never decreases with the attempt, and the delay for one draw neither', () =>
    fc.assert(
      fc.property(attempt, attempt, draw, policies, fc.boolean(), (a, b, r, p, slow) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(upper(lo, p, slow)).toBeLessThanOrEqual(upper(hi, p, slow))
        expect(nextDelay(lo, p, () => r, slow)).toBeLessThanOrEqual(nextDelay(hi, p, () => r, slow))
      }),
    ))

  it('attempt 0 and below behave like attempt 1 (no sub-base delay)', () =>
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 1 }), draw, policies, (n, r, p) => {
        expect(nextDelay(n, p, () => r)).toBe(nextDelay(1, p, () => r))
      }),
    ))

  it('spacedDelay is never below the delay, minIntervalMs − elapsed, or 0', () =>
    fc.assert(
      fc.property(fc.double({ min: 0, max: 60_000, noNaN: true }), fc.double({ min: 0, max: 120_000, noNaN: true }), policies, (delay, elapsed, p) => {
        const ms = spacedDelay(delay, elapsed, p)
        expect(ms).toBeGreaterThanOrEqual(delay)
        expect(ms).toBeGreaterThanOrEqual(p.minIntervalMs - elapsed)
        expect(ms).toBeGreaterThanOrEqual(0)
        // and it stretches only as far as needed
        expect(ms).toBe(Math.max(delay, p.minIntervalMs - elapsed, 0))
      }),
    ))

  it('spacedDelay with no previous attempt (Infinity elapsed) is the delay itself', () =>
    fc.assert(fc.property(fc.double({ min: 0, max: 60_000, noNaN: true }), policies, (delay, p) => spacedDelay(delay, Number.POSITIVE_INFINITY, p) === delay)))

  it('the slow backoff is never shorter than the default one for the same attempt and draw', () =>
    fc.assert(
      fc.property(attempt, draw, policies, (n, r, p) => {
        expect(nextDelay(n, p, () => r, true)).toBeGreaterThanOrEqual(nextDelay(n, p, () => r, false))
      }),
    ))

  it('the defaults match the documented figures (STYLE §3)', () => {
    expect(nextDelay(1, DEFAULTS.retry, () => 0)).toBe(1_000)
    expect(nextDelay(1, DEFAULTS.retry, () => 0.999_999)).toBeCloseTo(500, 2)
    expect(nextDelay(2, DEFAULTS.retry, () => 0)).toBe(2_000)
    expect(nextDelay(30, DEFAULTS.retry, () => 0)).toBe(30_000)
    expect(nextDelay(30, DEFAULTS.retry, () => 0.999_999)).toBeCloseTo(15_000, 1)
    expect(DEFAULTS.retry.minIntervalMs).toBe(1_000)
  })
})
