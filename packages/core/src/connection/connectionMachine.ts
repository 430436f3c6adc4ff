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
import type { HeartbeatCommand, HeartbeatEvent, HeartbeatInput } from './heartbeat'
import { nextDelay, spacedDelay } from './retryPolicy'

export interface ConnectionInput {
  policy: ConnectionPolicy
  env: { now(): number; random(): number }
  autoConnect: boolean
  region?: string
  /** The customer id known from an earlier session (storage), if any. */
  customerId?: string
  /** The reason table to read; the customer one (`policyForReason`) by default. */
  reasonPolicy?: (reason: string) => ReasonPolicy
}

export interface TokenOutput {
  /** `"<token_type> <access_token>"`, as `login` takes it. */
  token: string
  /** The identity the token belongs to (`entity_id`). */
  customerId?: string
}

export type SocketEvent =
  | { type: 'socket.opened' }
  | { type: 'socket.closed'; code?: number; reason?: string }

export type ConnectionEvent =
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'destroy' }
  | SocketEvent
  | HeartbeatEvent
  | { type: 'server.disconnected'; reason: string; data?: Record<string, unknown> }
  | { type: 'network.online' }
  | { type: 'network.offline' }
  | { type: 'page.visible' }
  | { type: 'page.hidden' }

/** What the machine tells the outside world (actor.on(type, …)). */
export type ConnectionEmitted =
  | { type: 'connected'; login: unknown }
  | { type: 'disconnected'; reason: string; data?: Record<string, unknown> }
  | { type: 'connection_unstable' }
  | { type: 'connection_recovered' }
  | { type: 'customer_id'; id: string }
  | { type: 'identity_changed'; previousId: string; newId: string }

export interface ConnectionContext {
  policy: ConnectionPolicy
  reasonPolicy: (reason: string) => ReasonPolicy
  env: ConnectionInput['env']
  autoConnect: boolean
  attempt: number
  lastAttemptAt: number | null
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

type EndInfo = { reason: string; data?: Record<string, unknown>; action: ReasonAction; emit: boolean; slow?: boolean }

const errorOf = (error: unknown): ChatError =>
  error instanceof ChatError ? error : new ChatError('CONNECTION_LOST', error instanceof Error ? error.message : String(error))

/** Reads the reason policy table for what ended the session. */
const endFor = (event: ConnectionEvent | { type: string; error?: unknown }, context: ConnectionContext): EndInfo => {
  switch (event.type) {
    case 'server.disconnected': {
      const e = event as Extract<ConnectionEvent, { type: 'server.disconnected' }>
      const policy = context.reasonPolicy(e.reason)
      return { reason: e.reason, ...(e.data && { data: e.data }), action: policy.action, emit: policy.emit, slow: policy.backoff === 'slow' }
    }
    case 'xstate.error.actor.token': {
      const error = errorOf((event as { error?: unknown }).error)
      if (error.code === 'SSO_IDENTITY_EXCEPTION' || error.code === 'SSO_OAUTH_EXCEPTION') {
        const policy = policyForTokenError(error.message)
        return { reason: policy.reason, action: policy.action, emit: policy.emit }
      }
      return { reason: 'connection_lost', action: 'reconnect', emit: false }
    }
    case 'xstate.error.actor.login': {
      const error = errorOf((event as { error?: unknown }).error)
      const policy = policyForLoginError(error.reason as Parameters<typeof policyForLoginError>[0])
      if (policy.action === 'refreshToken' && context.authRetried) {
        // a fresh token was refused too: stop instead of looping; connect() tries again
        return { reason: 'authentication', action: 'pause', emit: true }
      }
      return { reason: policy.reason, action: policy.action, emit: policy.emit, slow: policy.backoff === 'slow' }
    }
    default:
      return { reason: 'connection_lost', action: 'reconnect', emit: context.linked }
  }
}

export const connectionMachine = setup({
  types: {} as {
    input: ConnectionInput
    context: ConnectionContext
    events: ConnectionEvent
    emitted: ConnectionEmitted
  },
  actors: {
    token: fromPromise<TokenOutput, { fresh: boolean }>(async () => {
      throw new Error('the token actor must be provided')
    }),
    socket: fromCallback<{ type: 'noop' }, { region?: string }, SocketEvent>(() => {
      throw new Error('the socket actor must be provided')
    }),
    login: fromPromise<unknown, { token: string }>(async () => {
      throw new Error('the login actor must be provided')
    }),
    heartbeat: fromCallback<HeartbeatCommand, HeartbeatInput, HeartbeatEvent>(() => {
      throw new Error('the heartbeat actor must be provided')
    }),
  },
  guards: {
    canRetry: ({ context }) => context.attempt < context.policy.retry.maxAttempts,
    isAutoConnect: ({ context }) => context.autoConnect,
    isHidden: ({ context }) => context.hidden,
    endActionIs: ({ context }, params: { action: ReasonAction }) => context.endAction === params.action,
  },
  delays: {
    connectTimeout: ({ context }) => context.policy.connectTimeoutMs,
    loginTimeout: ({ context }) => context.policy.loginTimeoutMs + 1_000,
    unstableGrace: ({ context }) => context.policy.unstableGraceMs,
    retryDelay: ({ context }) => {
      const delay = nextDelay(context.attempt, context.policy.retry, context.env.random, context.slowBackoff)
      const since = context.lastAttemptAt === null ? Number.POSITIVE_INFINITY : context.env.now() - context.lastAttemptAt
      return spacedDelay(delay, since, context.policy.retry)
    },
  },
  actions: {
    countAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
    markAttempt: assign({ lastAttemptAt: ({ context }) => context.env.now() }),
    resetAttempts: assign({ attempt: 0, slowBackoff: false, authRetried: false, freshToken: false }),
    markLinked: assign({ linked: true }),
    recordEnd: assign(({ context, event }) => {
      const end = endFor(event, context)
      return {
        reason: end.reason,
        reasonData: end.data,
        endAction: end.action,
        emitEnd: end.emit,
        slowBackoff: end.slow ?? false,
        freshToken: context.freshToken || end.action === 'refreshToken',
        authRetried: context.authRetried || (end.action === 'refreshToken' && (event.type as string) === 'xstate.error.actor.login'),
        region: end.action === 'reconnectToRegion' && typeof end.data?.region === 'string' ? end.data.region : context.region,
      }
    }),
    recordUnstableEnd: assign({ reason: 'connection_lost', reasonData: undefined, endAction: 'reconnect', emitEnd: true }),
    recordConnectTimeout: assign({ reason: 'connection_lost', reasonData: undefined, endAction: 'reconnect', emitEnd: false }),
    clearEnd: assign({ reason: null, reasonData: undefined, endAction: null, emitEnd: false, linked: false, attempt: 0 }),
    unlink: assign({ linked: false }),
    storeToken: assign(({ event }) => {
      const output = (event as unknown as { output: TokenOutput }).output
      return { token: output.token, freshToken: false }
    }),
    // `customer_id` the first time the identity is known; `identity_changed` when the
    // token belongs to someone else (the client then emits `customer_id` for the new one)
    announceIdentity: enqueueActions(({ context, event, enqueue }) => {
      const id = (event as unknown as { output: TokenOutput }).output.customerId
      if (!id) return
      if (context.customerId && id !== context.customerId) {
        enqueue.emit({ type: 'identity_changed' as const, previousId: context.customerId, newId: id })
      } else if (!context.idAnnounced) {
        enqueue.emit({ type: 'customer_id' as const, id })
      }
      enqueue.assign({ idAnnounced: true })
    }),
    storeIdentity: assign({
      customerId: ({ context, event }) => (event as unknown as { output: TokenOutput }).output.customerId ?? context.customerId,
    }),
    emitConnected: emit(({ event }) => ({ type: 'connected' as const, login: (event as unknown as { output: unknown }).output })),
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
    probeLink: sendTo('heartbeat', { type: 'probe' }),
    suspectLink: sendTo('heartbeat', { type: 'suspect' }),
    setHidden: assign({ hidden: true }),
    setVisible: assign({ hidden: false }),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    policy: input.policy,
    reasonPolicy: input.reasonPolicy ?? policyForReason,
    env: input.env,
    autoConnect: input.autoConnect,
    attempt: 0,
    lastAttemptAt: null,
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
      always: [{ guard: 'isAutoConnect', target: 'connecting' }, { target: 'idle' }],
    },
    idle: {
      on: { connect: { target: 'connecting', actions: 'clearEnd' } },
    },
    connecting: {
      entry: 'markAttempt',
      invoke: {
        id: 'token',
        src: 'token',
        input: ({ context }) => ({ fresh: context.freshToken }),
        onDone: {
          target: 'session',
          actions: ['storeToken', 'announceIdentity', 'storeIdentity'],
        },
        onError: { target: 'ending', actions: 'recordEnd' },
      },
    },
    session: {
      invoke: { id: 'socket', src: 'socket', input: ({ context }) => ({ ...(context.region !== undefined && { region: context.region }) }) },
      on: {
        'socket.closed': { target: 'ending', actions: 'recordEnd' },
        'server.disconnected': { target: 'ending', actions: 'recordEnd' },
      },
      initial: 'opening',
      states: {
        opening: {
          on: { 'socket.opened': 'loggingIn' },
          after: { connectTimeout: { target: '#connection.ending', actions: 'recordConnectTimeout' } },
        },
        loggingIn: {
          invoke: {
            id: 'login',
            src: 'login',
            input: ({ context }) => ({ token: context.token ?? '' }),
            onDone: { target: 'connected', actions: ['resetAttempts', 'markLinked', 'emitConnected'] },
            onError: { target: '#connection.ending', actions: 'recordEnd' },
          },
          after: { loginTimeout: { target: '#connection.ending', actions: 'recordConnectTimeout' } },
        },
        connected: {
          tags: ['canSend'],
          invoke: {
            id: 'heartbeat',
            src: 'heartbeat',
            input: ({ context }) => ({ pingIntervalMs: context.policy.pingIntervalMs, pongTimeoutMs: context.policy.pongTimeoutMs }),
          },
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
              on: {
                'heartbeat.recovered': { target: 'stable', actions: 'emitRecovered' },
                'network.online': { actions: 'probeLink' },
                'page.visible': { actions: ['setVisible', 'probeLink'] },
              },
              after: {
                unstableGrace: [
                  // a hidden tab's timers are throttled: keep waiting for a frame instead of declaring it dead
                  { guard: 'isHidden', target: 'unstable', reenter: true },
                  { target: '#connection.ending', actions: 'recordUnstableEnd' },
                ],
              },
            },
          },
        },
      },
    },
    ending: {
      entry: 'emitDisconnected',
      always: [
        { guard: { type: 'endActionIs', params: { action: 'destroy' } }, target: 'destroyed' },
        { guard: { type: 'endActionIs', params: { action: 'pause' } }, target: 'paused', actions: 'unlink' },
        { target: 'reconnecting', actions: 'unlink' },
      ],
    },
    reconnecting: {
      entry: 'countAttempt',
      always: { guard: not('canRetry'), target: 'paused' },
      after: { retryDelay: 'connecting' },
      on: {
        connect: 'connecting',
        'network.online': 'connecting',
        'page.visible': { target: 'connecting', actions: 'setVisible' },
      },
    },
    paused: {
      on: { connect: { target: 'connecting', actions: 'clearEnd' } },
    },
    destroyed: { type: 'final' },
  },
})

export type ConnectionMachine = typeof connectionMachine

/** The app-facing status of a snapshot of the machine. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'paused' | 'destroyed'

export const statusOf = (snapshot: { value: unknown }): ConnectionStatus => {
  const value = snapshot.value
  if (typeof value === 'object' && value !== null) {
    const session = (value as { session?: unknown }).session
    return typeof session === 'object' && session !== null && 'connected' in session ? 'connected' : 'connecting'
  }
  switch (value) {
    case 'destroyed':
    case 'paused':
    case 'reconnecting':
    case 'connecting':
      return value
    case 'ending':
      return 'reconnecting'
    default:
      return 'idle'
  }
}

/** Resolves once the actor's status is `status` (at once if it already is). */
export const waitForStatus = (
  actor: { getSnapshot(): { value: unknown }; subscribe(fn: (snapshot: { value: unknown }) => void): { unsubscribe(): void } },
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
