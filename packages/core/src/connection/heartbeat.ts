import { fromCallback } from 'xstate'
import type { Clock, TimerId } from '../env'

export interface HeartbeatDeps {
  /** Reads every inbound frame (proof of life); returns the removal. */
  onActivity(listener: () => void): () => void
  sendPing(): void
  clock: Clock
  now(): number
}

export interface HeartbeatInput {
  pingIntervalMs: number
  pongTimeoutMs: number
}

export type HeartbeatEvent = { type: 'heartbeat.missed' } | { type: 'heartbeat.recovered' }

/**
 * From the machine: `probe` pings now (the browser said online/visible: check, do not
 * believe); `suspect` also treats the link as unproven until a frame arrives (offline).
 */
export type HeartbeatCommand = { type: 'probe' } | { type: 'suspect' }

/**
 * Keep-alive and liveness watchdog, invoked while connected. A ping goes out
 * `pingIntervalMs` after the previous answer (never on an interval, so a throttled
 * background tab does not pile pings up). When `pongTimeoutMs` passes with no frame at
 * all — measured on the clock, not by counting timer runs — it reports
 * `heartbeat.missed` and keeps probing; the first frame after that reports
 * `heartbeat.recovered`.
 */
export const runHeartbeat = (
  deps: HeartbeatDeps,
  input: HeartbeatInput,
  sendBack: (event: HeartbeatEvent) => void,
  receive: (listener: (command: HeartbeatCommand) => void) => void,
): (() => void) => {
  const { clock, now } = deps
  const { pingIntervalMs, pongTimeoutMs } = input
  let lastFrameAt = now()
  let awaitingPong = false
  let missed = false
  let timer: TimerId | undefined

  const set = (fn: () => void, ms: number) => {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = clock.setTimeout(fn, ms)
  }
  const ping = () => {
    awaitingPong = true
    deps.sendPing()
    set(check, pongTimeoutMs)
  }
  const check = () => {
    const silentFor = now() - lastFrameAt
    if (silentFor < pongTimeoutMs) {
      set(check, pongTimeoutMs - silentFor)
      return
    }
    if (!missed) {
      missed = true
      sendBack({ type: 'heartbeat.missed' })
    }
    ping()
  }
  const stopReading = deps.onActivity(() => {
    lastFrameAt = now()
    if (missed) {
      missed = false
      sendBack({ type: 'heartbeat.recovered' })
    }
    if (awaitingPong) {
      awaitingPong = false
      set(ping, pingIntervalMs)
    }
  })
  receive((command) => {
    if (command.type === 'suspect') missed = true
    ping()
  })
  set(ping, pingIntervalMs)
  return () => {
    stopReading()
    if (timer !== undefined) clock.clearTimeout(timer)
  }
}

/** The heartbeat as an actor of its own (tests; in the machine, the socket actor runs `runHeartbeat` once logged in). */
export const createHeartbeatLogic = (deps: HeartbeatDeps) =>
  fromCallback<HeartbeatCommand, HeartbeatInput, HeartbeatEvent>(({ input, sendBack, receive }) => runHeartbeat(deps, input, sendBack, receive))
