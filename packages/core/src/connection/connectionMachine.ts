import {
  type ReasonAction,
  type ReasonPolicy,
  policyForLoginError,
  policyForReason,
  policyForTokenError,
} from '@rapport/protocol'
import { assign, emit, enqueueActions, fromCallback, fromPromise, not, sendTo, setup } from 'xstate'
import { ChatError } from '../chatError'
import type { ConnectionPolicy } from '../defaults'
import { type HeartbeatCommand, type HeartbeatDeps, type HeartbeatEvent, type HeartbeatInput, runHeartbeat } from './heartbeat'
import { nextDelay, spacedDelay } from './retryPolicy'

/**
 * What the machine does through the session it runs in: fetch a token, open a socket,
 * log in, keep the link alive. Given in the input, so that one machine definition
 * serves every client (nothing is rebuilt per client with `.provide()`); the login's
 * result stays with the session, never in the machine.
 */
export interface SessionPorts {
  getToken(fresh: boolean): Promise<TokenOutput>
  /** Opens a socket, reporting open/close; returns what closes it. */
  openSocket(region: string | undefined, report: (event: SocketEvent) => void): () => void
  login(token: string): Promise<void>
  heartbeat: HeartbeatDeps
}

/** A socket that did not open, or a login not answered, in time. */
const CONNECT_TIMEOUT: EndInfo = { reason: 'connection_lost', action: 'reconnect', emit: false }
const timedOut = (stage: AttemptFailure['stage'], ms: number): EndInfo => ({
  ...CONNECT_TIMEOUT,
  failure: { stage, code: 'REQUEST_TIMEOUT', message: `No answer within ${ms} ms` },
})
/** Unstable past the grace period: the socket is replaced, and the app is told. */
const UNSTABLE_END: EndInfo = { reason: 'connection_lost', action: 'reconnect', emit: true }

const missingPorts = (): never => {
  throw new Error('the connection machine needs `ports` in its input')
}

/** The app-facing statuses, each a tag of the machine's states (the one source of status). */
export const CONNECTION_STATUSES = ['idle', 'connecting', 'connected', 'reconnecting', 'paused', 'destroyed'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]
/** `unstable`: connected, but the link has missed its heartbeat (or the network went away) and may be replaced. */
export type ConnectionTag = ConnectionStatus | 'canSend' | 'unstable'

export interface ConnectionInput {
  policy: ConnectionPolicy
  env: { now(): number; random(): number }
  autoConnect: boolean
  region?: string
  /** The customer id known from an earlier session (storage), if any. */
  customerId?: string
  /** The reason table to read; the customer one (`policyForReason`) by default. */
  reasonPolicy?: (reason: string) => ReasonPolicy
  /** The session's I/O; tests may replace the actors with `.provide()` instead. */
  ports?: SessionPorts
}

export interface TokenOutput {
  /** `"<token_type> <access_token>"`, as `login` takes it. */
  token: string
  /** The identity the token belongs to (`entity_id`). */
  customerId?: string
}

/** What the socket actor is told: start the heartbeat (once logged in), then probe or suspect the link. */
export type SocketCommand = ({ type: 'heartbeat.start' } & HeartbeatInput) | HeartbeatCommand

export type SocketEvent =
  | { type: 'socket.opened' }
  /** `error`: what the socket's error event said, when it said anything (Node's `ws` does; browsers do not). */
  | { type: 'socket.closed'; code?: number; reason?: string; error?: string }

export type ConnectionEvent =
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'destroy' }
  | SocketEvent
  | HeartbeatEvent
  | { type: 'server.disconnected'; reason: string; data?: Record<string, unknown> }
  /** The client could not finish its work after login (catch-up): the session is replaced. */
  | { type: 'session.failed' }
  | { type: 'network.online' }
  | { type: 'network.offline' }
  | { type: 'page.visible' }
  | { type: 'page.hidden' }

/** What the machine tells the outside world (actor.on(type, …)). */
export type ConnectionEmitted =
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string; data?: Record<string, unknown> }
  | { type: 'connection_unstable' }
  | { type: 'connection_recovered' }
  | { type: 'customer_id'; id: string }
  | { type: 'identity_changed'; previousId: string; newId: string }

/**
 * Why the latest attempt to connect failed before it logged in: the step, a documented
 * error code and what went wrong (the HTTP status, the socket's close code or error).
 */
export interface AttemptFailure {
  /** The token request, the socket (it never opened), or the login on an open socket. */
  stage: 'token' | 'socket' | 'login'
  code: string
  message: string
}

/** What the machine is given and never changes: kept apart from the fields it assigns. */
export interface ConnectionSettings {
  ports: SessionPorts | undefined
  policy: ConnectionPolicy
  reasonPolicy: (reason: string) => ReasonPolicy
  env: ConnectionInput['env']
  autoConnect: boolean
}

/**
 * The machine's context. XState copies it on every assignment (`Object.assign({}, …)`), and
 * V8 keeps an object built that way with 20 or more properties in dictionary mode (about
 * 0.7 KB more per client, and slower reads): the constants live in `settings`, and a test
 * keeps the context under 20 keys.
 */
export interface ConnectionContext {
  settings: ConnectionSettings
  attempt: number
  lastAttemptAt: number | null
  /** When the next reconnection attempt is due (`env.now()` time) while reconnecting; otherwise null. */
  nextRetryAt: number | null
  /** Why the latest attempt failed, until a login succeeds. */
  lastFailure: AttemptFailure | null
  /** The reason the last session ended (documented disconnection reasons). */
  reason: string | null
  reasonData?: Record<string, unknown>
  /** What the reason policy asked for, read by `ending`. */
  endAction: ReasonAction | null
  emitEnd: boolean
  slowBackoff: boolean
  freshToken: boolean
  authRetried: boolean
  /** Whether the session that just ended had logged in. */
  linked: boolean
  hidden: boolean
  region?: string
  customerId?: string
  /** Whether `customer_id` was emitted by this instance. */
  idAnnounced: boolean
  token?: string
}

/** How a session ended and what the reason table asks for next. */
export interface EndInfo {
  reason: string
  data?: Record<string, unknown>
  action: ReasonAction
  emit: boolean
  slow?: boolean
  /** The login refused the token (a fresh one is tried once). */
  loginRefused?: boolean
  /** What failed, when the session ended before logging in. */
  failure?: AttemptFailure
}

const errorOf = (error: unknown): ChatError =>
  error instanceof ChatError ? error : new ChatError('CONNECTION_LOST', error instanceof Error ? error.message : String(error))

/** `message (detail, detail)`, without the parentheses when there is no detail. */
const withDetails = (message: string, ...details: unknown[]): string => {
  const known = details.filter((d) => d !== undefined && d !== '')
  return known.length > 0 ? `${message} (${known.join(', ')})` : message
}

/** An error as a failure of `stage`: its code, its message and what its data says of the cause. */
const failureOf = (stage: AttemptFailure['stage'], cause: unknown): AttemptFailure => {
  const { code, message, data } = errorOf(cause)
  return { stage, code, message: withDetails(message, data?.status && `HTTP ${data.status}`, data?.cause) }
}

/**
 * The socket closed before the login finished: before it opened, once open while the
 * token was still being fetched, or during the login.
 */
const closedEarly = (moment: 'opening' | 'open' | 'login', event: { code?: number; error?: string }): AttemptFailure => ({
  stage: moment === 'login' ? 'login' : 'socket',
  code: 'CONNECTION_LOST',
  message: withDetails(
    moment === 'opening' ? 'The socket closed before it opened' : moment === 'open' ? 'The socket closed before the login' : 'The socket closed during the login',
    event.code && `close code ${event.code}`,
    event.error,
  ),
})

/** The server ended the session with a documented reason. */
const endForReason = (reasonPolicy: (reason: string) => ReasonPolicy, reason: string, data?: Record<string, unknown>): EndInfo => {
  const policy = reasonPolicy(reason)
  return { reason, ...(data && { data }), action: policy.action, emit: policy.emit, slow: policy.backoff === 'slow' }
}

/** The token could not be had: identity errors read the token-error table, the rest is a lost connection. */
const endForTokenError = (cause: unknown): EndInfo => {
  const error = errorOf(cause)
  if (error.code === 'SSO_IDENTITY_EXCEPTION' || error.code === 'SSO_OAUTH_EXCEPTION') {
    const policy = policyForTokenError(error.message)
    return { reason: policy.reason, action: policy.action, emit: policy.emit }
  }
  return { reason: 'connection_lost', action: 'reconnect', emit: false }
}

/** The login was refused: the login-error table, and no second fresh token after a refused one. */
const endForLoginError = (cause: unknown, authRetried: boolean): EndInfo => {
  const policy = policyForLoginError(errorOf(cause).reason)
  // a fresh token was refused too: stop instead of looping; connect() tries again
  if (policy.action === 'refreshToken' && authRetried) return { reason: 'authentication', action: 'pause', emit: true }
  return { reason: policy.reason, action: policy.action, emit: policy.emit, slow: policy.backoff === 'slow', loginRefused: true }
}

// Built by a function called once, annotated as pure: a bundle that never creates a client
// drops the whole machine (and xstate with it).
const createConnectionMachine = () =>
  setup({
    types: {} as {
      input: ConnectionInput
      context: ConnectionContext
      events: ConnectionEvent
      emitted: ConnectionEmitted
      tags: ConnectionTag
    },
    actors: {
      token: fromPromise<TokenOutput, { fresh: boolean; ports?: SessionPorts }>(({ input }) => (input.ports ?? missingPorts()).getToken(input.fresh)),
      // the socket and, once logged in, its heartbeat: one actor for the link's whole life
      // (an actor of its own for the heartbeat cost every client about 1.8 KB)
      socket: fromCallback<SocketCommand, { region?: string; ports?: SessionPorts }, SocketEvent | HeartbeatEvent>(({ input, sendBack, receive }) => {
        const ports = input.ports ?? missingPorts()
        const close = ports.openSocket(input.region, sendBack)
        let stopHeartbeat: (() => void) | undefined
        let command: ((command: HeartbeatCommand) => void) | undefined
        receive((event) => {
          if (event.type === 'heartbeat.start') {
            stopHeartbeat ??= runHeartbeat(ports.heartbeat, event, sendBack, (listener) => void (command = listener))
          } else command?.(event)
        })
        return () => {
          stopHeartbeat?.()
          close()
        }
      }),
      login: fromPromise<void, { token: string; ports?: SessionPorts }>(({ input }) => (input.ports ?? missingPorts()).login(input.token)),
    },
    guards: {
      canRetry: ({ context }) => context.attempt < context.settings.policy.retry.maxAttempts,
      isAutoConnect: ({ context }) => context.settings.autoConnect,
      isHidden: ({ context }) => context.hidden,
      isEndAction: ({ context }, params: { action: ReasonAction }) => context.endAction === params.action,
    },
    delays: {
      connectTimeout: ({ context }) => context.settings.policy.connectTimeoutMs,
      tokenTimeout: ({ context }) => context.settings.policy.tokenTimeoutMs,
      loginTimeout: ({ context }) => context.settings.policy.loginTimeoutMs + 1_000,
      unstableGrace: ({ context }) => context.settings.policy.unstableGraceMs,
      // computed once on entering `reconnecting` (scheduleRetry) so that the due time can be shown
      retryDelay: ({ context }) => Math.max(0, (context.nextRetryAt ?? context.settings.env.now()) - context.settings.env.now()),
    },
    actions: {
      countAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
      markAttempt: assign({ lastAttemptAt: ({ context }) => context.settings.env.now() }),
      scheduleRetry: assign({
        nextRetryAt: ({ context }) => {
          const delay = nextDelay(context.attempt, context.settings.policy.retry, context.settings.env.random, context.slowBackoff)
          const since = context.lastAttemptAt === null ? Number.POSITIVE_INFINITY : context.settings.env.now() - context.lastAttemptAt
          return context.settings.env.now() + spacedDelay(delay, since, context.settings.policy.retry)
        },
      }),
      clearRetry: assign({ nextRetryAt: null }),
      resetAttempts: assign({ attempt: 0, slowBackoff: false, authRetried: false, freshToken: false }),
      markLinked: assign({ linked: true, lastFailure: null }),
      recordEnd: assign(({ context }, end: EndInfo) => ({
        reason: end.reason,
        reasonData: end.data,
        endAction: end.action,
        emitEnd: end.emit,
        slowBackoff: end.slow ?? false,
        freshToken: context.freshToken || end.action === 'refreshToken',
        authRetried: context.authRetried || (end.action === 'refreshToken' && end.loginRefused === true),
        region: end.action === 'reconnectToRegion' && typeof end.data?.region === 'string' ? end.data.region : context.region,
        // only an attempt that never logged in failed; a session that ends after its login is no failure
        lastFailure: context.linked ? null : (end.failure ?? context.lastFailure),
      })),
      clearEnd: assign({ reason: null, reasonData: undefined, endAction: null, emitEnd: false, linked: false, attempt: 0 }),
      unlink: assign({ linked: false }),
      storeToken: assign((_, output: TokenOutput) => ({ token: output.token, freshToken: false })),
      // `customer_id` the first time the identity is known; `identity_changed` when the
      // token belongs to someone else (the client then emits `customer_id` for the new one)
      announceIdentity: enqueueActions(({ context, enqueue }, output: TokenOutput) => {
        const id = output.customerId
        if (!id) return
        if (context.customerId && id !== context.customerId) {
          enqueue.emit({ type: 'identity_changed' as const, previousId: context.customerId, newId: id })
        } else if (!context.idAnnounced) {
          enqueue.emit({ type: 'customer_id' as const, id })
        }
        enqueue.assign({ idAnnounced: true, customerId: id })
      }),
      emitConnected: emit({ type: 'connected' as const }),
      // a `guard` on an action object is ignored by XState v5: the condition lives in the action
      emitDisconnected: enqueueActions(({ context, enqueue }) => {
        if (!context.emitEnd) return
        enqueue.emit({
          type: 'disconnected' as const,
          reason: context.reason ?? 'connection_lost',
          ...(context.reasonData && { data: context.reasonData }),
        })
      }),
      emitUnstable: emit({ type: 'connection_unstable' as const }),
      emitRecovered: emit({ type: 'connection_recovered' as const }),
      startHeartbeat: sendTo('socket', ({ context }) => ({
        type: 'heartbeat.start' as const,
        pingIntervalMs: context.settings.policy.pingIntervalMs,
        pongTimeoutMs: context.settings.policy.pongTimeoutMs,
      })),
      probeLink: sendTo('socket', { type: 'probe' }),
      suspectLink: sendTo('socket', { type: 'suspect' }),
      setHidden: assign({ hidden: true }),
      setVisible: assign({ hidden: false }),
    },
  }).createMachine({
    id: 'connection',
    context: ({ input }) => ({
      settings: {
        ports: input.ports,
        policy: input.policy,
        reasonPolicy: input.reasonPolicy ?? policyForReason,
        env: input.env,
        autoConnect: input.autoConnect,
      },
      attempt: 0,
      lastAttemptAt: null,
      nextRetryAt: null,
      lastFailure: null,
      reason: null,
      endAction: null,
      emitEnd: false,
      slowBackoff: false,
      freshToken: false,
      authRetried: false,
      linked: false,
      hidden: false,
      idAnnounced: false,
      ...(input.region !== undefined && { region: input.region }),
      ...(input.customerId !== undefined && { customerId: input.customerId }),
    }),
    initial: 'boot',
    on: {
      destroy: { target: '.destroyed' },
      disconnect: { target: '.idle', actions: 'clearEnd' },
      'page.hidden': { actions: 'setHidden' },
      'page.visible': { actions: 'setVisible' },
    },
    states: {
      boot: {
        tags: ['idle'],
        always: [{ guard: 'isAutoConnect', target: 'session' }, { target: 'idle' }],
      },
      idle: {
        tags: ['idle'],
        on: { connect: { target: 'session', actions: 'clearEnd' } },
      },
      // one attempt: the socket opens while the token is fetched (the handshake and the token
      // request overlap, one round trip less per connect); the login needs both
      session: {
        entry: 'markAttempt',
        invoke: { id: 'socket', src: 'socket', input: ({ context }) => ({ ...(context.region !== undefined && { region: context.region }), ports: context.settings.ports }) },
        on: {
          'socket.closed': {
            target: 'ending',
            actions: {
              type: 'recordEnd',
              params: ({ context, event }) => ({ reason: 'connection_lost', action: 'reconnect', emit: context.linked, failure: closedEarly('login', event) }),
            },
          },
          'server.disconnected': {
            target: 'ending',
            actions: {
              type: 'recordEnd',
              params: ({ context, event }) => ({
                ...endForReason(context.settings.reasonPolicy, event.reason, event.data),
                failure: { stage: 'login', code: event.reason.toUpperCase(), message: event.reason },
              }),
            },
          },
          'session.failed': { target: 'ending', actions: { type: 'recordEnd', params: ({ context }) => ({ reason: 'connection_lost', action: 'reconnect', emit: context.linked }) } },
        },
        initial: 'opening',
        states: {
          opening: {
            tags: ['connecting'],
            type: 'parallel',
            states: {
              token: {
                initial: 'fetching',
                states: {
                  fetching: {
                    invoke: {
                      id: 'token',
                      src: 'token',
                      input: ({ context }) => ({ fresh: context.freshToken, ports: context.settings.ports }),
                      onDone: {
                        target: 'ready',
                        actions: [
                          { type: 'storeToken', params: ({ event }) => event.output },
                          { type: 'announceIdentity', params: ({ event }) => event.output },
                        ],
                      },
                      onError: {
                        target: '#connection.ending',
                        actions: { type: 'recordEnd', params: ({ event }) => ({ ...endForTokenError(event.error), failure: failureOf('token', event.error) }) },
                      },
                    },
                    // a token endpoint that never answers is a failed attempt, not a wait without end
                    after: {
                      tokenTimeout: {
                        target: '#connection.ending',
                        actions: { type: 'recordEnd', params: ({ context }) => timedOut('token', context.settings.policy.tokenTimeoutMs) },
                      },
                    },
                  },
                  ready: { type: 'final' },
                },
              },
              socket: {
                initial: 'opening',
                states: {
                  opening: {
                    on: {
                      'socket.closed': {
                        target: '#connection.ending',
                        actions: { type: 'recordEnd', params: ({ event }) => ({ reason: 'connection_lost', action: 'reconnect', emit: false, failure: closedEarly('opening', event) }) },
                      },
                    },
                    after: {
                      connectTimeout: {
                        target: '#connection.ending',
                        actions: { type: 'recordEnd', params: ({ context }) => timedOut('socket', context.settings.policy.connectTimeoutMs) },
                      },
                    },
                  },
                  open: { type: 'final' },
                },
                on: {
                  'socket.opened': '.open',
                  // open, and the token still on its way
                  'socket.closed': {
                    target: '#connection.ending',
                    actions: { type: 'recordEnd', params: ({ event }) => ({ reason: 'connection_lost', action: 'reconnect', emit: false, failure: closedEarly('open', event) }) },
                  },
                },
              },
            },
            onDone: 'loggingIn',
          },
          loggingIn: {
            tags: ['connecting'],
            invoke: {
              id: 'login',
              src: 'login',
              input: ({ context }) => ({ token: context.token ?? '', ports: context.settings.ports }),
              onDone: { target: 'connected', actions: ['resetAttempts', 'markLinked', 'emitConnected'] },
              onError: {
                target: '#connection.ending',
                actions: {
                  type: 'recordEnd',
                  params: ({ context, event }) => ({ ...endForLoginError(event.error, context.authRetried), failure: failureOf('login', event.error) }),
                },
              },
            },
            after: {
              loginTimeout: {
                target: '#connection.ending',
                actions: { type: 'recordEnd', params: ({ context }) => timedOut('login', context.settings.policy.loginTimeoutMs) },
              },
            },
          },
          connected: {
            tags: ['connected', 'canSend'],
            // the socket actor keeps the link alive from here on; it stops with the socket
            entry: 'startHeartbeat',
            initial: 'stable',
            states: {
              stable: {
                // emitted on the way in, not on entry: the hidden-tab re-entry below must not repeat it
                on: {
                  'heartbeat.missed': { target: 'unstable', actions: 'emitUnstable' },
                  'network.offline': { target: 'unstable', actions: ['emitUnstable', 'suspectLink'] },
                  'network.online': { actions: 'probeLink' },
                  'page.visible': { actions: ['setVisible', 'probeLink'] },
                },
              },
              unstable: {
                tags: ['unstable'],
                on: {
                  'heartbeat.recovered': { target: 'stable', actions: 'emitRecovered' },
                  'network.online': { actions: 'probeLink' },
                  'page.visible': { actions: ['setVisible', 'probeLink'] },
                },
                after: {
                  unstableGrace: [
                    // a hidden tab's timers are throttled: keep waiting for a frame instead of declaring it dead
                    { guard: 'isHidden', target: 'unstable', reenter: true },
                    { target: '#connection.ending', actions: { type: 'recordEnd', params: UNSTABLE_END } },
                  ],
                },
              },
            },
          },
        },
      },
      ending: {
        tags: ['reconnecting'],
        entry: 'emitDisconnected',
        always: [
          { guard: { type: 'isEndAction', params: { action: 'destroy' } }, target: 'destroyed' },
          { guard: { type: 'isEndAction', params: { action: 'pause' } }, target: 'paused', actions: 'unlink' },
          { target: 'reconnecting', actions: 'unlink' },
        ],
      },
      reconnecting: {
        tags: ['reconnecting'],
        // the retry is scheduled (its due time kept in context) after the attempt is counted
        entry: ['countAttempt', 'scheduleRetry'],
        exit: 'clearRetry',
        always: { guard: not('canRetry'), target: 'paused' },
        after: { retryDelay: 'session' },
        on: {
          connect: 'session',
          'network.online': 'session',
          'page.visible': { target: 'session', actions: 'setVisible' },
        },
      },
      paused: {
        tags: ['paused'],
        on: { connect: { target: 'session', actions: 'clearEnd' } },
      },
      destroyed: { type: 'final', tags: ['destroyed'] },
    },
  })

export const connectionMachine = /* @__PURE__ */ createConnectionMachine()

export type ConnectionMachine = typeof connectionMachine

/** The app-facing status of a snapshot of the machine: the one status tag every state carries. */
export const statusOf = (snapshot: { hasTag(tag: ConnectionTag): boolean }): ConnectionStatus => {
  for (const status of CONNECTION_STATUSES) if (snapshot.hasTag(status)) return status
  return 'idle'
}

/** Resolves once the actor's status is `status` (at once if it already is). */
export const waitForStatus = (
  actor: { getSnapshot(): { hasTag(tag: ConnectionTag): boolean }; subscribe(fn: (snapshot: { hasTag(tag: ConnectionTag): boolean }) => void): { unsubscribe(): void } },
  status: ConnectionStatus,
): Promise<void> =>
  new Promise<void>((resolve) => {
    if (statusOf(actor.getSnapshot()) === status) return resolve()
    const subscription = actor.subscribe((snapshot) => {
      if (statusOf(snapshot) !== status) return
      queueMicrotask(() => subscription.unsubscribe())
      resolve()
    })
  })
