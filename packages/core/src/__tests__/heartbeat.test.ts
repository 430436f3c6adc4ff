import { ManualClock } from '@rapport/testing'
import { Subject } from 'rxjs'
import { createActor, sendTo, setup } from 'xstate'
import { describe, expect, it } from 'vitest'
import { type HeartbeatCommand, type HeartbeatEvent, createHeartbeatLogic } from '../connection/heartbeat'

const start = (pingIntervalMs = 15_000, pongTimeoutMs = 5_000) => {
  const clock = new ManualClock()
  const frames = new Subject<unknown>()
  const reports: HeartbeatEvent['type'][] = []
  let pings = 0
  const logic = createHeartbeatLogic({ onActivity: (listener) => { const s = frames.subscribe(listener); return () => s.unsubscribe() }, sendPing: () => void pings++, clock, now: clock.now })
  const parent = setup({
    types: {} as { events: HeartbeatEvent | HeartbeatCommand },
    actors: { heartbeat: logic },
  }).createMachine({
    invoke: { id: 'heartbeat', src: 'heartbeat', input: { pingIntervalMs, pongTimeoutMs } },
    on: {
      'heartbeat.missed': { actions: ({ event }) => void reports.push(event.type) },
      'heartbeat.recovered': { actions: ({ event }) => void reports.push(event.type) },
      probe: { actions: sendTo('heartbeat', { type: 'probe' }) },
      suspect: { actions: sendTo('heartbeat', { type: 'suspect' }) },
    },
  })
  const actor = createActor(parent, { clock }).start()
  return { clock, frames, reports, actor, pings: () => pings }
}

describe('heartbeat', () => {
  it('pings after the interval, and schedules the next ping from the answer', () => {
    const h = start()
    h.clock.advance(14_999)
    expect(h.pings()).toBe(0)
    h.clock.advance(1)
    expect(h.pings()).toBe(1)
    h.clock.advance(1_000)
    h.frames.next('pong')
    h.clock.advance(14_999)
    expect(h.pings()).toBe(1)
    h.clock.advance(1)
    expect(h.pings()).toBe(2)
    expect(h.reports).toEqual([])
    h.actor.stop()
    expect(h.clock.pending).toBe(0)
  })

  it('reports missed after the pong timeout with no frame, keeps probing, and recovered on the next frame', () => {
    const h = start()
    h.clock.advance(15_000 + 5_000)
    expect(h.reports).toEqual(['heartbeat.missed'])
    h.clock.advance(5_000)
    expect(h.pings()).toBe(3)
    expect(h.reports).toEqual(['heartbeat.missed'])
    h.frames.next('anything')
    expect(h.reports).toEqual(['heartbeat.missed', 'heartbeat.recovered'])
    h.actor.stop()
  })

  it('measures silence on the clock: a late timer after frames kept arriving reports nothing', () => {
    const h = start()
    h.clock.advance(15_000)
    // frames arrive, but the answer to the ping is late; the check still sees recent activity
    h.clock.advance(4_000)
    h.frames.next('push')
    h.clock.advance(1_000)
    expect(h.reports).toEqual([])
    h.actor.stop()
  })

  it('probe pings at once; suspect makes the next frame count as a recovery', () => {
    const h = start()
    h.actor.send({ type: 'probe' })
    expect(h.pings()).toBe(1)
    h.actor.send({ type: 'suspect' })
    expect(h.pings()).toBe(2)
    h.frames.next('pong')
    expect(h.reports).toEqual(['heartbeat.recovered'])
    h.actor.stop()
  })
})
