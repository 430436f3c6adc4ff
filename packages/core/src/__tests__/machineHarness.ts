import { ManualClock } from '@rapport/testing'
import { type WireErrorType } from '@rapport/protocol'
import { createActor, fromCallback, fromPromise } from 'xstate'
import { ChatError } from '../chatError'
import {
  type ConnectionEmitted,
  type ConnectionInput,
  type SocketCommand,
  type SocketEvent,
  type TokenOutput,
  connectionMachine,
} from '../connection/connectionMachine'
import type { HeartbeatCommand, HeartbeatEvent, HeartbeatInput } from '../connection/heartbeat'
import { type ConnectionPolicy, DEFAULTS, resolvePolicy } from '../defaults'
import { flush } from './helpers'

export interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
  settled: boolean
}

export const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      d.settled = true
      resolve(value)
    },
    reject: (error) => {
      d.settled = true
      reject(error)
    },
  }
  // a rejection nobody awaits (the actor was stopped) must not fail the run
  promise.catch(() => {})
  return d
}

export interface FakeTokenCall extends Deferred<TokenOutput> {
  input: { fresh: boolean }
  /** Neither settled nor aborted. */
  live: boolean
}
export interface FakeLoginCall extends Deferred<void> {
  input: { token: string }
  live: boolean
}
export interface FakeSocketActor {
  input: { region?: string }
  sendBack(event: SocketEvent): void
  live: boolean
}
export interface FakeHeartbeat {
  input: HeartbeatInput
  sendBack(event: HeartbeatEvent): void
  live: boolean
  /** Commands the machine sent it (probe / suspect). */
  commands: HeartbeatCommand['type'][]
}

export const EMITTED_TYPES = ['connected', 'disconnected', 'connection_unstable', 'connection_recovered', 'customer_id', 'identity_changed'] as const

export interface HarnessOptions {
  autoConnect?: boolean
  customerId?: string
  region?: string
  policy?: ConnectionPolicy
  random?: () => number
  /**
   * The token timeout; a day by default, so that tests about other things can leave a
   * token call pending across long clock advances (the token-timeout test sets the real one).
   */
  tokenTimeoutMs?: number
  /**
   * The connect timeout; a day by default as well: an attempt opens its socket while the
   * token is fetched, and a test that leaves the socket unopened across a long clock advance
   * is about something else (the connect-timeout test sets the real one).
   */
  connectTimeoutMs?: number
}

/**
 * The connection machine with controllable actors: every token / login call is a
 * deferred the test settles, the socket and heartbeat expose `sendBack`, and time is a
 * ManualClock.
 */
export const createHarness = (options: HarnessOptions = {}) => {
  const clock = new ManualClock()
  const tokens: FakeTokenCall[] = []
  const logins: FakeLoginCall[] = []
  const sockets: FakeSocketActor[] = []
  const heartbeats: FakeHeartbeat[] = []
  const emitted: ConnectionEmitted[] = []
  const random = options.random ?? (() => 0.5)

  const machine = connectionMachine.provide({
    actors: {
      token: fromPromise<TokenOutput, { fresh: boolean }>(({ input, signal }) => {
        const call: FakeTokenCall = Object.assign(deferred<TokenOutput>(), { input, live: true })
        signal.addEventListener('abort', () => void (call.live = false))
        call.promise.then(() => void (call.live = false), () => void (call.live = false))
        tokens.push(call)
        return call.promise
      }),
      login: fromPromise<void, { token: string }>(({ input, signal }) => {
        const call: FakeLoginCall = Object.assign(deferred<void>(), { input, live: true })
        signal.addEventListener('abort', () => void (call.live = false))
        call.promise.then(() => void (call.live = false), () => void (call.live = false))
        logins.push(call)
        return call.promise
      }),
      // the socket actor also runs the heartbeat once told to: the fake records it as one
      socket: fromCallback<SocketCommand, { region?: string }, SocketEvent | HeartbeatEvent>(({ input, sendBack, receive }) => {
        const socket: FakeSocketActor = { input, sendBack, live: true }
        sockets.push(socket)
        let heartbeat: FakeHeartbeat | undefined
        receive((command) => {
          if (command.type === 'heartbeat.start') {
            if (heartbeat) throw new Error('a second heartbeat.start for one socket')
            heartbeat = { input: { pingIntervalMs: command.pingIntervalMs, pongTimeoutMs: command.pongTimeoutMs }, sendBack, live: true, commands: [] }
            heartbeats.push(heartbeat)
          } else if (!heartbeat) throw new Error(`${command.type} before heartbeat.start`)
          else heartbeat.commands.push(command.type)
        })
        return () => {
          socket.live = false
          if (heartbeat) heartbeat.live = false
        }
      }),
    },
  })
  const input: ConnectionInput = {
    policy: {
      ...(options.policy ?? DEFAULTS),
      tokenTimeoutMs: options.tokenTimeoutMs ?? 24 * 60 * 60_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 24 * 60 * 60_000,
    },
    env: { now: () => clock.now(), random },
    autoConnect: options.autoConnect ?? true,
    ...(options.customerId !== undefined && { customerId: options.customerId }),
    ...(options.region !== undefined && { region: options.region }),
  }
  const actor = createActor(machine, { input, clock })
  for (const type of EMITTED_TYPES) actor.on(type, (event) => void emitted.push(event as ConnectionEmitted))

  const h = {
    clock,
    actor,
    tokens,
    logins,
    sockets,
    heartbeats,
    emitted,
    snapshot: () => actor.getSnapshot(),
    value: () => actor.getSnapshot().value,
    emittedOf: <K extends ConnectionEmitted['type']>(type: K) => emitted.filter((e): e is Extract<ConnectionEmitted, { type: K }> => e.type === type),
    token: () => last(tokens, 'token'),
    login: () => last(logins, 'login'),
    socket: () => last(sockets, 'socket'),
    heartbeat: () => last(heartbeats, 'heartbeat'),
    liveSockets: () => sockets.filter((s) => s.live),
    send: (event: Parameters<typeof actor.send>[0]) => actor.send(event),
    /** token → socket opened → login answered. */
    async connectFully(customerId = 'customer-1') {
      h.token().resolve({ token: 'Bearer t', customerId })
      await flush()
      h.socket().sendBack({ type: 'socket.opened' })
      h.login().resolve()
      await flush()
    },
    /** Rejects the current login with a wire error type. */
    async failLogin(type: WireErrorType) {
      h.login().reject(ChatError.fromWire({ type, message: '' }))
      await flush()
    },
    /** The delay of the single timer the machine has scheduled. */
    pendingDelay: () => {
      const next = clock.nextAt()
      return next === undefined ? undefined : next - clock.now()
    },
  }
  actor.start()
  return h
}

const last = <T>(list: T[], what: string): T => {
  const item = list.at(-1)
  if (item === undefined) throw new Error(`no ${what} actor was started`)
  return item
}

export { resolvePolicy }
