import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '@rapport/testing'
import { delayCeiling, nextDelay, spacedDelay } from '../connection/retryPolicy'
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

/** The most values of `sorted` within any window `width` wide (closed on the left). */
const densest = (sorted: readonly number[], width: number): number => {
  let peak = 0
  let lo = 0
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= width) lo++
    peak = Math.max(peak, hi - lo + 1)
  }
  return peak
}

describe('retry policy properties', () => {
  it('nextDelay lies in [0, min(max, base·2^(n−1))) — full jitter — and delayCeiling is that bound', () =>
    fc.assert(
      fc.property(attempt, draw, policies, fc.boolean(), (n, r, p, slow) => {
        const ms = nextDelay(n, p, () => r, slow)
        const hi = upper(n, p, slow)
        expect(delayCeiling(n, p, slow)).toBe(hi)
        expect(ms).toBeGreaterThanOrEqual(0)
        expect(ms).toBeLessThanOrEqual(hi)
      }),
    ))

  it('nextDelay is the draw scaled to the whole window: a uniform draw gives a uniform delay over [0, ceiling)', () =>
    fc.assert(
      fc.property(attempt, draw, policies, fc.boolean(), (n, r, p, slow) => {
        expect(nextDelay(n, p, () => r, slow)).toBeCloseTo(r * upper(n, p, slow), 6)
      }),
    ))

  it('spread: N clients whose draws cover [0, 1) evenly retry over the whole window, at most ⌈N·w/window⌉ + 1 in any w', () =>
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 2_000 }), attempt, policies, fc.boolean(), fc.double({ min: 0.01, max: 0.5, noNaN: true }), (clients, n, p, slow, fraction) => {
        const window = upper(n, p, slow)
        const delays = Array.from({ length: clients }, (_, i) => nextDelay(n, p, () => (i + 0.5) / clients, slow)).sort((a, b) => a - b)
        // the whole window is used, from its first to its last N-th
        expect(delays[0]).toBeLessThanOrEqual(window / clients)
        expect(delays.at(-1)).toBeGreaterThanOrEqual(window * (1 - 1 / clients))
        const width = window * fraction
        expect(densest(delays, width)).toBeLessThanOrEqual(Math.ceil(clients * fraction) + 1)
      }),
    ))

  it('spread, with the defaults and a seeded random: 1,000 first retries put at most 17 % in any 100 ms (the upper-half draw put ≥ 20 %)', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const random = seededRandom(seed)
        const delays = Array.from({ length: 1_000 }, () => nextDelay(1, DEFAULTS.retry, random)).sort((a, b) => a - b)
        // an even spread puts 10 % in each 100 ms; random draws peak near 12 % (15 % at worst over
        // 20,000 seeds), while the draw over [500, 1000) never went below 21 %
        expect(densest(delays, 100) / delays.length).toBeLessThanOrEqual(0.17)
        // the window is [0, 1 s): the earliest within its first tenth, the latest within its last
        expect(delays[0]).toBeLessThan(100)
        expect(delays.at(-1)).toBeGreaterThan(900)
      }),
      { numRuns: 50 },
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

  it('attempt 0 and below behave like attempt 1 (no narrower window)', () =>
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

  it('the defaults: first window [0, 1 s), doubling, capped at 30 s (full jitter, not the upper half of STYLE §3)', () => {
    expect(nextDelay(1, DEFAULTS.retry, () => 0)).toBe(0)
    expect(nextDelay(1, DEFAULTS.retry, () => 0.5)).toBe(500)
    expect(nextDelay(1, DEFAULTS.retry, () => 0.999_999)).toBeCloseTo(1_000, 2)
    expect(nextDelay(2, DEFAULTS.retry, () => 0.5)).toBe(1_000)
    expect(nextDelay(30, DEFAULTS.retry, () => 0.5)).toBe(15_000)
    expect(nextDelay(30, DEFAULTS.retry, () => 0.999_999)).toBeCloseTo(30_000, 1)
    expect(nextDelay(1, DEFAULTS.retry, () => 0.5, true)).toBe(2_500)
    expect(DEFAULTS.retry.minIntervalMs).toBe(1_000)
    expect(DEFAULTS.retry.maxAttempts).toBe(Number.POSITIVE_INFINITY)
  })
})
