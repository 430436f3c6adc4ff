/**
 * A server restart seen by many clients at once (issue 9, target 4; `pnpm bench` measures
 * the same with 1,000 real clients, section `storm`): every client loses its socket at the
 * same moment, each attempt is refused while the server is down, then the server is back.
 * Each client runs on its own FakeEnv (manual clock, its own seed), all dropped at the
 * same simulated time; the clocks run from timer to timer, so no wall-clock time is taken.
 */
import { FakeEnv } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import { DEFAULTS } from '../defaults'
import { completeLogin, flush, loginResponse, setup } from './helpers'

const CLIENTS = 40
const OUTAGE_MS = 3_000

/** One client's storm: its attempts (ms after the drop), when it was back, its last status. */
const storm = async (seed: number, outageMs: number) => {
  // no ping during the long session before the drop (the fake server answers none)
  const { env, client } = setup({ connection: { pingIntervalMs: 24 * 3_600_000 } }, new FakeEnv({ seed }))
  await completeLogin(env)
  expect(client.status).toBe('connected')
  env.clock.advance(60_000) // a session long past the minimum spacing of attempts
  const droppedAt = env.clock.now()
  env.socket.drop()
  await flush()
  const attempts: number[] = []
  let backAt: number | undefined
  let seen = env.sockets.length
  while (backAt === undefined && client.status !== 'paused' && client.status !== 'destroyed') {
    const next = env.clock.nextAt()
    if (next === undefined) break
    env.clock.advance(next - env.clock.now())
    await flush()
    while (env.sockets.length > seen) {
      seen++
      const at = env.clock.now() - droppedAt
      attempts.push(at)
      if (at < outageMs) {
        env.socket.drop() // refused: the server is down
        await flush()
      } else {
        env.socket.open()
        await flush()
        env.socket.respond('login', loginResponse())
        await flush()
        if (client.status === 'connected') backAt = at
      }
    }
  }
  const status = client.status
  client.destroy()
  return { attempts, backAt, status }
}

/** The most values within any `width` (closed on the left). */
const densest = (values: readonly number[], width: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  let peak = 0
  let lo = 0
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= width) lo++
    peak = Math.max(peak, hi - lo + 1)
  }
  return peak
}

describe('reconnect storm: many clients dropped by one server restart', () => {
  it('first retries spread over the whole first window [0, base), not bunched in its upper half; every client comes back within the cap + 2 s; none gives up', async () => {
    const runs = []
    for (let i = 0; i < CLIENTS; i++) runs.push(await storm(i + 1, OUTAGE_MS))
    const first = runs.map((r) => r.attempts[0] ?? Number.NaN)

    // every first retry lies in the first window
    for (const at of first) {
      expect(at).toBeGreaterThanOrEqual(0)
      expect(at).toBeLessThan(DEFAULTS.retry.baseDelayMs)
    }
    // the lower half of the window is used as much as the upper (the [½, 1] draw left it empty)
    const early = first.filter((at) => at < DEFAULTS.retry.baseDelayMs / 2).length
    expect(early).toBeGreaterThanOrEqual(CLIENTS / 4)
    expect(early).toBeLessThanOrEqual((3 * CLIENTS) / 4)
    // no 100 ms of the first window holds more than a quarter of the clients (even: a tenth)
    expect(densest(first, 100)).toBeLessThanOrEqual(CLIENTS / 4)

    // the server is back at OUTAGE_MS: nobody paused, everyone back within the cap + 2 s
    for (const run of runs) {
      expect(run.status).toBe('connected')
      expect(run.backAt).toBeDefined()
      expect((run.backAt ?? Number.POSITIVE_INFINITY) - OUTAGE_MS).toBeLessThanOrEqual(DEFAULTS.retry.maxDelayMs + 2_000)
    }
    // and across every attempt of every client, no 100 ms holds more than a tenth of them
    const all = runs.flatMap((r) => r.attempts)
    expect(densest(all, 100) / all.length).toBeLessThanOrEqual(0.1)
  })
})
