import { type PushFrame, type ReasonPolicy, isObject } from '@rapport/protocol'
import { type Observable, Subject } from 'rxjs'
import { type Actor, createActor } from 'xstate'
import { ChatError } from './chatError'
import type { Diagnostic } from './diagnostics'
import {
  type AttemptFailure,
  type ConnectionEmitted,
  type ConnectionStatus,
  type SessionPorts,
  type TokenOutput,
  connectionMachine,
  statusOf,
  waitForStatus,
} from './connection/connectionMachine'
import { nextDelay } from './connection/retryPolicy'
import { openSocket } from './connection/socketActor'
import type { ConnectionPolicy } from './defaults'
import type { Env } from './env'
import type { ExternalStore } from './externalStore'
import { type ActionMapShape, RtmClient, type ResultOf } from './transport/rtmClient'
import { Transport } from './transport/transport'

/**
 * Why the latest attempt to connect failed, and the URL it tried: the token endpoint
 * (`stage: 'token'`; `url` is null when the token comes from an `identityProvider`) or the
 * RTM socket (`'socket'`, `'login'`). A wrong `serverUrl` or a refused token shows here
 * from the first attempt.
 */
export interface ConnectionFailure extends AttemptFailure {
  url: string | null
}

/** The connection as adapters see it. */
export interface ConnectionSnapshot {
  status: ConnectionStatus
  /** Why the last session ended (a documented disconnection reason), until the next one starts. */
  reason: string | null
  /** Connected, but the link missed its heartbeat or the network went away: it may be replaced soon. */
  unstable: boolean
  /** While `reconnecting`: when the next attempt is due (epoch ms, the Env's clock); otherwise null. */
  nextRetryAt: number | null
  /** Why the latest attempt failed, while none has logged in since; null once connected. */
  lastError: ConnectionFailure | null
}

/** What the machine tells the client, with the login's result on `connected`. */
export type SessionEmitted<L> = Exclude<ConnectionEmitted, { type: 'connected' }> | { type: 'connected'; login: L }

export interface SessionOptions<M extends ActionMapShape<M>, L> {
  env: Env
  policy: ConnectionPolicy
  autoConnect: boolean
  region?: string
  /** The reason table of this side (customer by default). */
  reasonPolicy?: (reason: string) => ReasonPolicy
  /** The push by which the server ends a session (`customer_disconnected`, `agent_disconnected`). */
  disconnectPush: string
  /** The RTM socket's URL, for a region (`reconnectToRegion` switches it). */
  urlFor(region: string | undefined): string
  /** The token endpoint's URL, when the session's tokens come from one (shown on a failed token request). */
  tokenUrl?: () => string
  getToken(fresh: boolean): Promise<TokenOutput>
  /** Logs in on a fresh socket; its result is the `connected` payload of this session. */
  login(token: string, rtm: RtmClient<M>): Promise<L>
  /** Everything the machine reports, in order. */
  onEmitted(event: SessionEmitted<L>): void
  /** The machine ended by itself (a reason that destroys the instance): the client releases everything. */
  onTerminal(): void
}

/**
 * One session runtime for every client: socket, RTM client, connection machine,
 * heartbeat, environment signals, the send gate and the disposers. The customer and
 * agent clients compose it and add their own login, pushes, methods and recovery.
 */
export interface Session<M extends ActionMapShape<M>, L> {
  readonly rtm: RtmClient<M>
  /** Reads every push (the one that ends the session is acted on here; it is no SDK event); returns the removal. */
  onPush(reader: (push: PushFrame) => void): () => void
  /** What was dropped instead of acted on (undecodable frames, invalid pushes). */
  readonly diagnostics$: Observable<Diagnostic>
  report(diagnostic: Diagnostic): void
  /** The connection: status, reason, unstable, next retry; one source (the machine's tags and context). */
  readonly connection: ExternalStore<ConnectionSnapshot>
  /** The result of the latest login. */
  readonly login: L | null
  /** Counts logins: recovery work started for one session checks it is still current. */
  readonly generation: number
  readonly destroyed: boolean
  canSend(): boolean
  /** Sends once logged in; rejects with `NO_CONNECTION` or `SDK_DESTROYED` otherwise. */
  request<A extends keyof M & string>(action: A, payload: M[A]['request']): Promise<ResultOf<M, A>>
  /** The region the machine connects to now. */
  region(): string | undefined
  connect(): void
  disconnect(): void
  whenStatus(status: ConnectionStatus): Promise<void>
  /**
   * Runs the work a fresh login needs (catching up on missed events) for the current
   * session: retried with backoff when it fails while the session lasts; when it cannot
   * finish, the session is replaced (a reconnect) rather than left half-ready. Resolves
   * true once done for this session, false if the session ended first.
   */
  settle(work: () => Promise<void>): Promise<boolean>
  /** Runs `dispose` when the session is destroyed. */
  own(dispose: () => void): void
  start(): void
  destroy(): void
}

export const createSession = <M extends ActionMapShape<M>, L>(options: SessionOptions<M, L>): Session<M, L> => {
  const { env, policy } = options
  const transport = new Transport()
  const diagnostics = new Subject<Diagnostic>()
  const rtm = new RtmClient<M>(transport, { clock: env.clock, now: () => env.now(), random: () => env.random(), onDiagnostic: (d) => diagnostics.next(d) })
  const disposers: Array<() => void> = []

  const ports: SessionPorts = {
    getToken: (fresh) => options.getToken(fresh),
    openSocket: (region, report) => openSocket(env, transport, options.urlFor(region), report),
    login: async (token) => {
      session.login = await options.login(token, rtm)
    },
    heartbeat: {
      onActivity: (listener) => rtm.onFrame(listener),
      sendPing: () => void rtm.ping(policy.pongTimeoutMs + policy.unstableGraceMs).catch(() => {}),
      clock: env.clock,
      now: () => env.now(),
    },
  }

  const actor: Actor<typeof connectionMachine> = createActor(connectionMachine, {
    clock: env.clock,
    input: {
      policy,
      env: { now: () => env.now(), random: () => env.random() },
      autoConnect: options.autoConnect,
      ports,
      ...(options.region !== undefined && { region: options.region }),
      ...(options.reasonPolicy !== undefined && { reasonPolicy: options.reasonPolicy }),
    },
  })

  // one wildcard listener rather than one per type: each listened type costs the actor a Set
  const emittedSubscription = actor.on('*', (event: ConnectionEmitted) => {
    if (event.type !== 'connected') return options.onEmitted(event)
    session.generation++
    if (session.login !== null) options.onEmitted({ type: 'connected', login: session.login })
  })
  disposers.push(() => emittedSubscription.unsubscribe())

  // the connection store: a snapshot object that changes only when one of its fields does
  let connection: ConnectionSnapshot = { status: 'idle', reason: null, unstable: false, nextRetryAt: null, lastError: null }
  // the failure shown, and the machine's record it was made from (a new object only when that changes)
  let failureSeen: AttemptFailure | null = null
  const failureOf = (failure: AttemptFailure | null, region: string | undefined): ConnectionFailure | null => {
    if (failure === failureSeen) return connection.lastError
    failureSeen = failure
    if (failure === null) return null
    return { ...failure, url: failure.stage === 'token' ? (options.tokenUrl?.() ?? null) : options.urlFor(region) }
  }
  const connectionListeners = new Set<() => void>()
  let notifyScheduled = false
  const readConnection = (): ConnectionSnapshot => {
    const snapshot = actor.getSnapshot()
    const status = statusOf(snapshot)
    const { reason, nextRetryAt, lastFailure, region } = snapshot.context
    const unstable = snapshot.hasTag('unstable')
    const lastError = failureOf(lastFailure, region ?? options.region)
    if (
      status !== connection.status ||
      reason !== connection.reason ||
      unstable !== connection.unstable ||
      nextRetryAt !== connection.nextRetryAt ||
      lastError !== connection.lastError
    ) {
      connection = { status, reason, unstable, nextRetryAt, lastError }
    }
    return connection
  }
  const statusSubscription = actor.subscribe(() => {
    const before = connection
    const now = readConnection()
    if (now === before) return
    if (now.status === 'destroyed' && !session.destroyed) queueMicrotask(() => options.onTerminal())
    if (notifyScheduled) return
    notifyScheduled = true
    queueMicrotask(() => {
      notifyScheduled = false
      for (const listener of [...connectionListeners]) listener()
    })
  })
  disposers.push(() => statusSubscription.unsubscribe())

  const stopReadingPushes = rtm.onPush((push) => {
    if (push.action !== options.disconnectPush) return
    const payload = isObject(push.payload) ? push.payload : {}
    actor.send({
      type: 'server.disconnected',
      reason: typeof payload.reason === 'string' ? payload.reason : 'internal_error',
      ...(isObject(payload.data) && { data: payload.data }),
    })
  })
  disposers.push(stopReadingPushes)

  const unwatch = env.watchSignals((signal) => {
    actor.send({ type: signal === 'online' ? 'network.online' : signal === 'offline' ? 'network.offline' : signal === 'visible' ? 'page.visible' : 'page.hidden' })
  })
  disposers.push(unwatch)

  const canSend = (): boolean => !session.destroyed && actor.getSnapshot().hasTag('canSend')
  const ensureUsable = (): void => {
    if (session.destroyed) throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
  }

  // plain fields, no getters: a getter in an object literal this size puts it in V8's
  // dictionary mode (about 0.6 KB more per client)
  const session: Omit<Session<M, L>, 'login' | 'generation' | 'destroyed'> & { login: L | null; generation: number; destroyed: boolean } = {
    rtm,
    // the disconnect push is handled above; the clients' push parsers yield no event for it
    onPush: (reader) => rtm.onPush(reader),
    diagnostics$: diagnostics.asObservable(),
    report: (diagnostic) => diagnostics.next(diagnostic),
    connection: {
      getSnapshot: readConnection,
      subscribe: (listener) => {
        const entry = () => listener()
        connectionListeners.add(entry)
        return () => void connectionListeners.delete(entry)
      },
    },
    login: null,
    generation: 0,
    destroyed: false,
    canSend,
    // not async: the RTM client's promise is handed on as it is (no extra hops per request)
    request: (action, payload) => {
      if (session.destroyed) return Promise.reject(new ChatError('SDK_DESTROYED', 'This instance was destroyed'))
      if (!canSend()) return Promise.reject(new ChatError('NO_CONNECTION', `Cannot send "${action}": not connected`))
      return rtm.request(action, payload)
    },
    region: () => actor.getSnapshot().context.region ?? options.region,
    connect: () => {
      ensureUsable()
      actor.send({ type: 'connect' })
    },
    disconnect: () => {
      if (!session.destroyed) actor.send({ type: 'disconnect' })
    },
    whenStatus: async (status) => {
      if (session.destroyed && status !== 'destroyed') throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
      await waitForStatus(actor, status)
    },
    settle: async (work) => {
      const current = session.generation
      const stillCurrent = () => !session.destroyed && session.generation === current && canSend()
      for (let attempt = 1; ; attempt++) {
        try {
          await work()
          return stillCurrent()
        } catch {
          if (!stillCurrent()) return false // the session went away: the next one starts over
          if (attempt >= policy.catchUpAttempts) {
            actor.send({ type: 'session.failed' })
            return false
          }
          await new Promise<void>((resolve) => env.clock.setTimeout(() => resolve(), nextDelay(attempt, policy.retry, () => env.random())))
          if (!stillCurrent()) return false
        }
      }
    },
    own: (dispose) => void disposers.push(dispose),
    start: () => {
      actor.start()
      if (!env.isVisible()) actor.send({ type: 'page.hidden' })
    },
    destroy: () => {
      if (session.destroyed) return
      session.destroyed = true
      rtm.dispose('SDK_DESTROYED')
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'destroy' })
      readConnection()
      for (const dispose of disposers.splice(0)) dispose()
      actor.stop()
      transport.dispose()
      diagnostics.complete()
    },
  }
  return session
}
