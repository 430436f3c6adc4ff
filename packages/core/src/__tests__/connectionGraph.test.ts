import { getShortestPaths } from '@xstate/graph'
import { describe, expect, it } from 'vitest'
import { type AnyStateNode, type StateValue, __unsafe_getAllOwnEventDescriptors, getInitialMicrosteps, getMicrosteps } from 'xstate'
import { ChatError } from '../chatError'
import { type ConnectionEvent, type ConnectionInput, connectionMachine } from '../connection/connectionMachine'
import { DEFAULTS } from '../defaults'
import { flush } from './helpers'
import { createHarness } from './machineHarness'

type Snapshot = ReturnType<typeof connectionMachine.transition>
/** The machine's own events plus the done/error events of its invoked actors. */
type GraphEvent = ConnectionEvent | { type: `xstate.done.actor.${string}`; output: unknown } | { type: `xstate.error.actor.${string}`; error: unknown } | { type: `xstate.after.${string}` }

const input: ConnectionInput = { policy: DEFAULTS, env: { now: () => 0, random: () => 0.5 }, autoConnect: true }

/** Every state node of the definition, as dotted paths ('session.connected.stable'): a new state joins the list by itself. */
const allStateNodes = (): string[] => {
  const out: string[] = []
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      out.push(child.path.join('.'))
      walk(child)
    }
  }
  walk(connectionMachine.root)
  return out.sort()
}

/** The dotted paths of every state node active in a state value. */
const activePaths = (value: StateValue, prefix: string[] = []): string[] => {
  if (typeof value === 'string') return [[...prefix, value].join('.')]
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key].join('.'), ...(child === undefined ? [] : activePaths(child, [...prefix, key]))])
}

/** Events that need a payload; the traversal adds every other event the state handles (incl. delayed ones) as `{type}`. */
const payloadEvents: GraphEvent[] = [
  { type: 'xstate.done.actor.token', output: { token: 'Bearer t', customerId: 'customer-1' } },
  { type: 'xstate.error.actor.token', error: new ChatError('SSO_IDENTITY_EXCEPTION', 'unauthorized') },
  { type: 'xstate.error.actor.token', error: new ChatError('SSO_OAUTH_EXCEPTION', 'server_error') },
  { type: 'xstate.done.actor.login', output: { customer: { id: 'customer-1' } } },
  { type: 'xstate.error.actor.login', error: ChatError.fromWire({ type: 'internal', message: '' }) },
  { type: 'xstate.error.actor.login', error: ChatError.fromWire({ type: 'users_limit_reached', message: '' }) },
  { type: 'xstate.error.actor.login', error: ChatError.fromWire({ type: 'customer_banned', message: '' }) },
  { type: 'server.disconnected', reason: 'connection_evicted' },
  { type: 'server.disconnected', reason: 'inactivity_timeout' },
  { type: 'server.disconnected', reason: 'license_not_found' },
]

const paths = (autoConnect: boolean) =>
  getShortestPaths(connectionMachine, {
    input: { ...input, autoConnect },
    // (an `events` option replaces @xstate/graph's default generator, so the merge is done here)
    events: ((snapshot: Snapshot) =>
      __unsafe_getAllOwnEventDescriptors(snapshot).flatMap((type) => {
        const withPayload = payloadEvents.filter((e) => e.type === type)
        return withPayload.length > 0 ? withPayload : [{ type }]
      })) as never,
    // the state value is the graph's vertex: context (attempt counts, timestamps) would make it infinite
    serializeState: (snapshot) => JSON.stringify(snapshot.value),
  }) as unknown as Array<{ state: Snapshot; steps: Array<{ event: GraphEvent; state: Snapshot }> }>

describe('connection machine graph', () => {
  const reachable = [...paths(true), ...paths(false)]

  it('knows the state nodes it must cover', () => {
    expect(allStateNodes()).toEqual(
      expect.arrayContaining([
        'boot',
        'idle',
        'session',
        'session.opening',
        'session.opening.token',
        'session.opening.token.fetching',
        'session.opening.token.ready',
        'session.opening.socket',
        'session.opening.socket.opening',
        'session.opening.socket.open',
        'session.loggingIn',
        'session.connected',
        'session.connected.stable',
        'session.connected.unstable',
        'ending',
        'reconnecting',
        'paused',
        'destroyed',
      ]),
    )
  })

  it('every state node is reached by some shortest path (transient ones through the microsteps)', () => {
    const reached = new Set<string>()
    const visit = (value: StateValue) => activePaths(value).forEach((p) => reached.add(p))
    for (const autoConnect of [true, false]) for (const [snapshot] of getInitialMicrosteps(connectionMachine, { ...input, autoConnect })) visit(snapshot.value)
    for (const path of reachable) {
      visit(path.state.value)
      let previous: Snapshot | undefined
      for (const step of path.steps) {
        // the microsteps pass through `boot` and `ending`, which never rest
        if (previous) for (const [snapshot] of getMicrosteps(connectionMachine, previous, step.event as never)) visit(snapshot.value)
        visit(step.state.value)
        previous = step.state
      }
    }
    expect([...reached].sort()).toEqual(allStateNodes())
  })

  it('every resting state value is a shortest-path target', () => {
    const values = new Set(reachable.map((p) => JSON.stringify(p.state.value)))
    for (const value of ['idle', 'reconnecting', 'paused', 'destroyed']) expect(values).toContain(JSON.stringify(value))
    for (const value of [
      { session: { opening: { token: 'fetching', socket: 'opening' } } },
      { session: { opening: { token: 'ready', socket: 'opening' } } },
      { session: { opening: { token: 'fetching', socket: 'open' } } },
      { session: 'loggingIn' },
      { session: { connected: 'stable' } },
      { session: { connected: 'unstable' } },
    ])
      expect(values).toContain(JSON.stringify(value))
  })

  it('destroyed is terminal: no path leaves it', () => {
    for (const path of reachable) {
      const at = path.steps.findIndex((s) => s.state.value === 'destroyed')
      if (at >= 0) expect(at).toBe(path.steps.length - 1)
    }
  })

  /** Plays a graph path on a real actor with the controllable actors; returns the final value. */
  const replay = async (path: (typeof reachable)[number], autoConnect: boolean) => {
    const h = createHarness({ autoConnect })
    for (const { event, state } of path.steps) {
      if (event.type.startsWith('xstate.after.')) {
        const delay = h.pendingDelay()
        if (delay === undefined) throw new Error(`no timer for ${event.type}`)
        h.clock.advance(delay)
      } else if (event.type === 'xstate.done.actor.token') h.token().resolve((event as { output: unknown }).output as never)
      else if (event.type === 'xstate.error.actor.token') h.token().reject((event as { error: unknown }).error)
      else if (event.type === 'xstate.done.actor.login') h.login().resolve()
      else if (event.type === 'xstate.error.actor.login') h.login().reject((event as { error: unknown }).error)
      else if (event.type.startsWith('socket.')) h.socket().sendBack(event as never)
      else if (event.type.startsWith('heartbeat.')) h.heartbeat().sendBack(event as never)
      else h.send(event as ConnectionEvent)
      await flush()
      expect(h.value(), `after ${event.type}`).toEqual(state.value)
    }
    return h
  }

  it.each([true, false])('replays every shortest path on a real actor (autoConnect %s)', async (autoConnect) => {
    const all = paths(autoConnect)
    expect(all.length).toBeGreaterThanOrEqual(9)
    for (const path of all) {
      const h = await replay(path, autoConnect)
      expect(h.value()).toEqual(path.state.value)
      // at most one socket at any resting state of a replay
      expect(h.liveSockets().length).toBeLessThanOrEqual(1)
      h.actor.stop()
    }
  })
})
