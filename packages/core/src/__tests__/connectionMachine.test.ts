import { DISCONNECT_REASONS, DISCONNECT_REASON_POLICY, type ReasonAction } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { ChatError } from '../chatError'
import { statusOf } from '../connection/connectionMachine'
import { DEFAULTS, resolvePolicy } from '../defaults'
import { flush } from './helpers'
import { createHarness } from './machineHarness'

/** The socket opening while the token is fetched (one attempt does both at once). */
const OPENING = { session: { opening: { token: 'fetching', socket: 'opening' } } }
/** The token is here; the socket is still opening. */
const TOKEN_READY = { session: { opening: { token: 'ready', socket: 'opening' } } }
const CONNECTED = { session: { connected: 'stable' } }
const UNSTABLE = { session: { connected: 'unstable' } }

const connected = async (options: Parameters<typeof createHarness>[0] = {}) => {
  const h = createHarness(options)
  await h.connectFully()
  expect(h.value()).toEqual(CONNECTED)
  h.emitted.length = 0
  return h
}

describe('connection machine: connecting', () => {
  it('autoConnect false waits in idle; connect starts the token fetch', () => {
    const h = createHarness({ autoConnect: false })
    expect(h.value()).toBe('idle')
    expect(h.tokens).toHaveLength(0)
    expect(h.sockets).toHaveLength(0)
    h.send({ type: 'connect' })
    expect(h.value()).toEqual(OPENING)
    expect(h.tokens).toHaveLength(1)
    expect(h.token().input).toEqual({ fresh: false })
  })

  it('token and socket at once → loggingIn → connected, with canSend only when connected', async () => {
    const h = createHarness()
    expect(h.value()).toEqual(OPENING)
    expect(statusOf(h.snapshot())).toBe('connecting')
    expect(h.snapshot().hasTag('canSend')).toBe(false)
    // the handshake does not wait for the token: one round trip less per connect
    expect(h.tokens).toHaveLength(1)
    expect(h.sockets).toHaveLength(1)
    h.token().resolve({ token: 'Bearer abc', customerId: 'customer-1' })
    await flush()
    expect(h.value()).toEqual(TOKEN_READY)
    expect(h.snapshot().hasTag('canSend')).toBe(false)
    expect(h.sockets).toHaveLength(1)
    h.socket().sendBack({ type: 'socket.opened' })
    expect(h.value()).toEqual({ session: 'loggingIn' })
    expect(h.snapshot().hasTag('canSend')).toBe(false)
    expect(h.login().input).toEqual({ token: 'Bearer abc' })
    h.login().resolve()
    await flush()
    expect(h.value()).toEqual(CONNECTED)
    expect(h.snapshot().hasTag('canSend')).toBe(true)
    expect(statusOf(h.snapshot())).toBe('connected')
    expect(h.heartbeats).toHaveLength(1)
    expect(h.heartbeat().input).toEqual({ pingIntervalMs: DEFAULTS.pingIntervalMs, pongTimeoutMs: DEFAULTS.pongTimeoutMs })
    expect(h.emitted).toEqual([
      { type: 'customer_id', id: 'customer-1' },
      { type: 'connected' },
    ])
  })

  it('a socket that opens before the token waits for it, then logs in with it', async () => {
    const h = createHarness()
    h.socket().sendBack({ type: 'socket.opened' })
    expect(h.value()).toEqual({ session: { opening: { token: 'fetching', socket: 'open' } } })
    expect(h.logins).toHaveLength(0)
    expect(statusOf(h.snapshot())).toBe('connecting')
    h.token().resolve({ token: 'Bearer late', customerId: 'customer-1' })
    await flush()
    expect(h.value()).toEqual({ session: 'loggingIn' })
    expect(h.login().input).toEqual({ token: 'Bearer late' })
    h.login().resolve()
    await flush()
    expect(h.value()).toEqual(CONNECTED)
  })

  it('a socket that closes while the token is still on its way fails the attempt at the socket stage', async () => {
    const h = createHarness()
    h.socket().sendBack({ type: 'socket.opened' })
    h.socket().sendBack({ type: 'socket.closed', code: 1006 })
    expect(h.value()).toBe('reconnecting')
    expect(h.token().live).toBe(false)
    expect(h.snapshot().context.lastFailure).toEqual({ stage: 'socket', code: 'CONNECTION_LOST', message: 'The socket closed before the login (close code 1006)' })
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it('emits identity_changed when the token belongs to another customer than the known one', async () => {
    const h = createHarness({ customerId: 'customer-old' })
    await h.connectFully('customer-new')
    expect(h.emittedOf('identity_changed')).toEqual([{ type: 'identity_changed', previousId: 'customer-old', newId: 'customer-new' }])
    expect(h.snapshot().context.customerId).toBe('customer-new')
    // the same identity on the next login is no change
    h.socket().sendBack({ type: 'socket.closed', code: 1006 })
    h.clock.advance(60_000)
    await h.connectFully('customer-new')
    expect(h.emittedOf('identity_changed')).toHaveLength(1)
  })

  it('the same customer id as the known one emits customer_id, not identity_changed', async () => {
    const h = createHarness({ customerId: 'customer-1' })
    await h.connectFully('customer-1')
    expect(h.emittedOf('identity_changed')).toEqual([])
    expect(h.emittedOf('customer_id')).toEqual([{ type: 'customer_id', id: 'customer-1' }])
  })
})

describe('connection machine: context', () => {
  it('stays under 20 keys through a whole lifecycle (20 and more puts each copy in V8 dictionary mode)', async () => {
    const h = createHarness({ customerId: 'customer-old', region: 'dal' })
    const sizes: number[] = []
    const measure = () => void sizes.push(Object.keys(h.snapshot().context).length)
    measure()
    await h.connectFully('customer-new')
    measure()
    h.send({ type: 'server.disconnected', reason: 'misdirected_connection', data: { region: 'fra' } })
    measure()
    h.clock.advance(60_000)
    await h.connectFully('customer-new')
    measure()
    h.socket().sendBack({ type: 'socket.closed', code: 1006 })
    measure()
    h.send({ type: 'disconnect' })
    measure()
    expect(Math.max(...sizes)).toBeLessThan(20)
  })
})

describe('connection machine: liveness', () => {
  it('heartbeat.missed → unstable (connection_unstable), heartbeat.recovered → stable (connection_recovered)', async () => {
    const h = await connected()
    h.heartbeat().sendBack({ type: 'heartbeat.missed' })
    expect(h.value()).toEqual(UNSTABLE)
    expect(h.snapshot().hasTag('canSend')).toBe(true)
    expect(h.emitted).toEqual([{ type: 'connection_unstable' }])
    h.heartbeat().sendBack({ type: 'heartbeat.recovered' })
    expect(h.value()).toEqual(CONNECTED)
    expect(h.emitted).toEqual([{ type: 'connection_unstable' }, { type: 'connection_recovered' }])
    // the heartbeat keeps running across stable/unstable: one watchdog per session
    expect(h.heartbeats).toHaveLength(1)
    expect(h.heartbeat().live).toBe(true)
  })

  it('network.offline while connected → unstable, and the heartbeat is told to suspect the link', async () => {
    const h = await connected()
    h.send({ type: 'network.offline' })
    expect(h.value()).toEqual(UNSTABLE)
    expect(h.emittedOf('connection_unstable')).toHaveLength(1)
    expect(h.heartbeat().commands).toEqual(['suspect'])
  })

  it('network.online and page.visible while connected probe the link instead of trusting the signal', async () => {
    const h = await connected()
    h.send({ type: 'network.online' })
    h.send({ type: 'page.visible' })
    expect(h.value()).toEqual(CONNECTED)
    expect(h.heartbeat().commands).toEqual(['probe', 'probe'])
    h.send({ type: 'network.offline' })
    h.send({ type: 'network.online' })
    // still unstable until the heartbeat reports a frame
    expect(h.value()).toEqual(UNSTABLE)
    expect(h.heartbeat().commands).toEqual(['probe', 'probe', 'suspect', 'probe'])
    h.heartbeat().sendBack({ type: 'heartbeat.recovered' })
    expect(h.value()).toEqual(CONNECTED)
    expect(h.emittedOf('connection_recovered')).toHaveLength(1)
  })

  it('unstable for unstableGraceMs → reconnecting with connection_lost and a disconnected emit', async () => {
    const h = await connected()
    h.heartbeat().sendBack({ type: 'heartbeat.missed' })
    h.clock.advance(DEFAULTS.unstableGraceMs - 1)
    expect(h.value()).toEqual(UNSTABLE)
    h.clock.advance(1)
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.reason).toBe('connection_lost')
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'connection_lost' }])
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.heartbeat().live).toBe(false)
  })

  it('while the page is hidden the unstable grace does not end the session', async () => {
    const h = await connected()
    h.send({ type: 'page.hidden' })
    h.heartbeat().sendBack({ type: 'heartbeat.missed' })
    h.clock.advance(DEFAULTS.unstableGraceMs * 10)
    expect(h.value()).toEqual(UNSTABLE)
    expect(h.emittedOf('disconnected')).toEqual([])
    expect(h.emittedOf('connection_unstable')).toHaveLength(1)
    // back to visible: the next grace period ends it
    h.send({ type: 'page.visible' })
    h.clock.advance(DEFAULTS.unstableGraceMs)
    expect(h.value()).toBe('reconnecting')
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'connection_lost' }])
  })

  it('a frame while hidden and unstable recovers', async () => {
    const h = await connected()
    h.send({ type: 'page.hidden' })
    h.heartbeat().sendBack({ type: 'heartbeat.missed' })
    h.clock.advance(DEFAULTS.unstableGraceMs * 2)
    h.heartbeat().sendBack({ type: 'heartbeat.recovered' })
    expect(h.value()).toEqual(CONNECTED)
    expect(h.emittedOf('connection_recovered')).toHaveLength(1)
  })
})

describe('connection machine: losing the connection', () => {
  it('socket closed while connected → reconnecting and disconnected{connection_lost}', async () => {
    const h = await connected()
    h.socket().sendBack({ type: 'socket.closed', code: 1006 })
    expect(h.value()).toBe('reconnecting')
    expect(statusOf(h.snapshot())).toBe('reconnecting')
    expect(h.snapshot().context.reason).toBe('connection_lost')
    expect(h.emitted).toEqual([{ type: 'disconnected', reason: 'connection_lost' }])
    expect(h.liveSockets()).toHaveLength(0)
  })

  it('socket closed before login → reconnecting without a disconnected emit', async () => {
    const h = createHarness()
    h.token().resolve({ token: 't', customerId: 'c' })
    await flush()
    h.socket().sendBack({ type: 'socket.closed' })
    expect(h.value()).toBe('reconnecting')
    expect(h.emittedOf('disconnected')).toEqual([])
    // and while logging in
    h.clock.advance(60_000)
    h.token().resolve({ token: 't', customerId: 'c' })
    await flush()
    h.socket().sendBack({ type: 'socket.opened' })
    expect(h.value()).toEqual({ session: 'loggingIn' })
    h.socket().sendBack({ type: 'socket.closed' })
    expect(h.value()).toBe('reconnecting')
    expect(h.login().live).toBe(false)
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it('connect timeout: the socket never opens → reconnecting', async () => {
    const h = createHarness({ connectTimeoutMs: DEFAULTS.connectTimeoutMs })
    h.token().resolve({ token: 't', customerId: 'c' })
    await flush()
    h.clock.advance(DEFAULTS.connectTimeoutMs - 1)
    expect(h.value()).toEqual(TOKEN_READY)
    h.clock.advance(1)
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.reason).toBe('connection_lost')
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it('login timeout: login never answered → reconnecting', async () => {
    const h = createHarness()
    h.token().resolve({ token: 't', customerId: 'c' })
    await flush()
    h.socket().sendBack({ type: 'socket.opened' })
    h.clock.advance(DEFAULTS.loginTimeoutMs)
    expect(h.value()).toEqual({ session: 'loggingIn' })
    h.clock.advance(1_000)
    expect(h.value()).toBe('reconnecting')
    expect(h.login().live).toBe(false)
    expect(h.liveSockets()).toHaveLength(0)
  })

  it('a token that never comes is a failed attempt after tokenTimeoutMs: reconnecting, then a new token call', async () => {
    const h = createHarness({ tokenTimeoutMs: DEFAULTS.tokenTimeoutMs })
    h.socket().sendBack({ type: 'socket.opened' })
    const open = { session: { opening: { token: 'fetching', socket: 'open' } } }
    expect(h.value()).toEqual(open)
    h.clock.advance(DEFAULTS.tokenTimeoutMs - 1)
    expect(h.value()).toEqual(open)
    h.clock.advance(1)
    expect(h.value()).toBe('reconnecting')
    expect(h.token().live).toBe(false)
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.snapshot().context.lastFailure?.stage).toBe('token')
    expect(h.snapshot().context.attempt).toBe(1)
    h.clock.advance(DEFAULTS.retry.baseDelayMs) // the first retry comes within the base delay
    expect(h.value()).toEqual(OPENING)
    expect(h.tokens).toHaveLength(2)
  })

  it('session.failed (the client could not catch up) replaces the session: reconnecting, disconnected emitted', async () => {
    const h = await connected()
    h.send({ type: 'session.failed' })
    expect(h.value()).toBe('reconnecting')
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'connection_lost' }])
  })

  it('reconnects after the backoff delay and emits connected again; resetAttempts after login', async () => {
    const h = await connected()
    h.socket().sendBack({ type: 'socket.closed' })
    expect(h.snapshot().context.attempt).toBe(1)
    h.clock.advance(30_000)
    expect(h.value()).toEqual(OPENING)
    h.token().reject(new Error('network'))
    await flush()
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.attempt).toBe(2)
    h.clock.advance(30_000)
    await h.connectFully()
    expect(h.value()).toEqual(CONNECTED)
    expect(h.snapshot().context.attempt).toBe(0)
    expect(h.emittedOf('connected')).toHaveLength(1)
    // every attempt opened its socket with its token request; the failed one's is closed
    expect(h.sockets).toHaveLength(3)
    expect(h.liveSockets()).toHaveLength(1)
  })
})

describe('connection machine: backoff', () => {
  /** Fails each attempt `gap` ms after it started (so the minimum spacing never applies), returns the delays. */
  const delays = async (random: number, attempts: number, gap = 2_000) => {
    const h = createHarness({ random: () => random })
    const seen: number[] = []
    for (let n = 1; n <= attempts; n++) {
      expect(h.value()).toEqual(OPENING)
      h.clock.advance(gap)
      h.token().reject(new Error('offline'))
      await flush()
      expect(h.value()).toBe('reconnecting')
      expect(h.snapshot().context.attempt).toBe(n)
      const delay = h.pendingDelay()
      if (delay === undefined) throw new Error('no retry timer')
      seen.push(delay)
      if (delay > 0) {
        h.clock.advance(delay - 1)
        expect(h.value()).toBe('reconnecting')
      }
      h.clock.advance(1)
    }
    return seen
  }

  it.each([0, 0.25, 0.5, 0.999])('delays are the draw over the whole window [0, min(max, base·2^(n−1))) — full jitter —, grow and cap (random=%s)', async (r) => {
    const seen = await delays(r, 9)
    const { baseDelayMs, maxDelayMs } = DEFAULTS.retry
    seen.forEach((delay, i) => {
      const upper = Math.min(maxDelayMs, baseDelayMs * 2 ** i)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(upper)
      expect(delay).toBeCloseTo(upper * r, 6)
      if (i > 0) expect(delay).toBeGreaterThanOrEqual(seen[i - 1] as number)
      expect(delay).toBeLessThanOrEqual(maxDelayMs)
    })
    expect(seen.at(-1)).toBeCloseTo(maxDelayMs * r, 6)
  })

  it('a first retry drawn near 0 after a long session goes at once; after an attempt that failed at once it waits minIntervalMs', async () => {
    const h = await connected({ random: () => 0 })
    h.clock.advance(60_000)
    h.socket().sendBack({ type: 'socket.closed' })
    expect(h.value()).toBe('reconnecting')
    expect(h.pendingDelay()).toBe(0)
    h.clock.advance(0)
    expect(h.value()).toEqual(OPENING)
    h.token().reject(new Error('offline'))
    await flush()
    expect(h.value()).toBe('reconnecting')
    expect(h.pendingDelay()).toBe(DEFAULTS.retry.minIntervalMs)
  })

  it('two attempts never start less than minIntervalMs apart', async () => {
    const seen = await delays(0.999, 1, 0)
    expect(seen[0]).toBe(DEFAULTS.retry.minIntervalMs)
  })

  it('service_temporarily_unavailable uses the slow backoff', async () => {
    const h = await connected()
    h.clock.advance(10_000)
    h.send({ type: 'server.disconnected', reason: 'service_temporarily_unavailable' })
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.slowBackoff).toBe(true)
    // the harness draws 0.5: the middle of the slow window
    expect(h.pendingDelay()).toBe(DEFAULTS.retry.slowBaseDelayMs * 0.5)
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it.each(['network.online', 'page.visible', 'connect'] as const)('%s during reconnecting → connecting at once', async (type) => {
    const h = await connected()
    h.socket().sendBack({ type: 'socket.closed' })
    expect(h.value()).toBe('reconnecting')
    h.send({ type })
    expect(h.value()).toEqual(OPENING)
    expect(h.tokens).toHaveLength(2)
    // the retry timer was dropped with the state
    h.clock.advance(60_000)
    expect(h.tokens).toHaveLength(2)
  })

  it('maxAttempts exhausted → paused; connect resumes', async () => {
    const h = createHarness({ policy: resolvePolicy({ retry: { maxAttempts: 3 } }) })
    for (let i = 0; i < 2; i++) {
      h.token().reject(new Error('offline'))
      await flush()
      expect(h.value()).toBe('reconnecting')
      h.clock.advance(60_000)
    }
    h.token().reject(new Error('offline'))
    await flush()
    expect(h.value()).toBe('paused')
    expect(statusOf(h.snapshot())).toBe('paused')
    h.clock.advance(10 * 60_000)
    expect(h.value()).toBe('paused')
    expect(h.tokens).toHaveLength(3)
    h.send({ type: 'connect' })
    expect(h.value()).toEqual(OPENING)
  })
})

describe('connection machine: customer_disconnected reasons (the policy table)', () => {
  const expectedState = (action: ReasonAction) => (action === 'pause' ? 'paused' : action === 'destroy' ? 'destroyed' : 'reconnecting')

  it.each(DISCONNECT_REASONS)('%s lands where its policy says', async (reason) => {
    const policy = DISCONNECT_REASON_POLICY[reason]
    const h = await connected()
    const data = reason === 'misdirected_connection' ? { region: 'fra' } : undefined
    h.send({ type: 'server.disconnected', reason, ...(data && { data }) })
    expect(h.value()).toBe(expectedState(policy.action))
    expect(h.snapshot().context.reason).toBe(reason)
    expect(h.emittedOf('disconnected')).toEqual(policy.emit ? [{ type: 'disconnected', reason, ...(data && { data }) }] : [])
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.heartbeat().live).toBe(false)
    expect(h.snapshot().hasTag('canSend')).toBe(false)

    switch (policy.action) {
      case 'refreshToken': {
        expect(h.snapshot().context.freshToken).toBe(true)
        h.clock.advance(60_000)
        expect(h.value()).toEqual(OPENING)
        expect(h.token().input).toEqual({ fresh: true })
        await h.connectFully()
        expect(h.snapshot().context.freshToken).toBe(false)
        break
      }
      case 'reconnectToRegion': {
        expect(h.snapshot().context.region).toBe('fra')
        h.clock.advance(60_000)
        h.token().resolve({ token: 't', customerId: 'customer-1' })
        await flush()
        expect(h.socket().input).toEqual({ region: 'fra' })
        break
      }
      case 'pause': {
        h.clock.advance(10 * 60_000)
        expect(h.value()).toBe('paused')
        h.send({ type: 'connect' })
        expect(h.value()).toEqual(OPENING)
        expect(h.snapshot().context.reason).toBe(null)
        break
      }
      case 'destroy': {
        expect(h.actor.getSnapshot().status).toBe('done')
        const tokens = h.tokens.length
        for (const type of ['connect', 'disconnect', 'network.online', 'page.visible'] as const) h.send({ type })
        h.clock.advance(10 * 60_000)
        expect(h.value()).toBe('destroyed')
        expect(h.tokens).toHaveLength(tokens)
        expect(h.clock.pending).toBe(0)
        break
      }
      default: {
        h.clock.advance(60_000)
        expect(h.value()).toEqual(OPENING)
        expect(h.token().input).toEqual({ fresh: false })
      }
    }
  })

  it('an unknown reason reconnects and emits', async () => {
    const h = await connected()
    h.send({ type: 'server.disconnected', reason: 'brand_new_reason', data: { x: 1 } })
    expect(h.value()).toBe('reconnecting')
    expect(h.emitted).toEqual([{ type: 'disconnected', reason: 'brand_new_reason', data: { x: 1 } }])
  })

  it('a reason pushed before login (while logging in) ends the session too, without the connected state', async () => {
    const h = createHarness()
    h.token().resolve({ token: 't', customerId: 'c' })
    await flush()
    h.socket().sendBack({ type: 'socket.opened' })
    h.send({ type: 'server.disconnected', reason: 'too_many_unauthorized_connections' })
    expect(h.value()).toBe('reconnecting')
    expect(h.emittedOf('disconnected')).toEqual([])
  })
})

describe('connection machine: login and token errors', () => {
  const toLoggingIn = async (h: ReturnType<typeof createHarness>) => {
    h.token().resolve({ token: 'Bearer t', customerId: 'customer-1' })
    await flush()
    h.socket().sendBack({ type: 'socket.opened' })
    expect(h.value()).toEqual({ session: 'loggingIn' })
  }

  it('authentication refreshes the token once; a second consecutive one pauses with reason authentication', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('authentication')
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.freshToken).toBe(true)
    expect(h.emittedOf('disconnected')).toEqual([])
    h.clock.advance(60_000)
    expect(h.token().input).toEqual({ fresh: true })
    await toLoggingIn(h)
    await h.failLogin('authentication')
    expect(h.value()).toBe('paused')
    expect(h.snapshot().context.reason).toBe('authentication')
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'authentication' }])
    // never loops on its own
    h.clock.advance(60 * 60_000)
    expect(h.value()).toBe('paused')
    expect(h.tokens).toHaveLength(2)
  })

  it('authentication after a successful login in between refreshes again (the refresh budget resets)', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('authentication')
    h.clock.advance(60_000)
    await h.connectFully()
    h.socket().sendBack({ type: 'socket.closed' })
    h.clock.advance(60_000)
    await toLoggingIn(h)
    await h.failLogin('authentication')
    expect(h.value()).toBe('reconnecting')
  })

  it('users_limit_reached → paused with a disconnected emit', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('users_limit_reached')
    expect(h.value()).toBe('paused')
    expect(h.emitted.filter((e) => e.type === 'disconnected')).toEqual([{ type: 'disconnected', reason: 'users_limit_reached' }])
    h.send({ type: 'connect' })
    expect(h.value()).toEqual(OPENING)
  })

  it('customer_banned → destroyed', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('customer_banned')
    expect(h.value()).toBe('destroyed')
    expect(h.snapshot().context.reason).toBe('customer_banned')
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'customer_banned' }])
  })

  it('service_unavailable → reconnecting with the slow backoff, silently', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('service_unavailable')
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.slowBackoff).toBe(true)
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it('any other login error (internal, request timeout) reconnects silently', async () => {
    const h = createHarness()
    await toLoggingIn(h)
    await h.failLogin('internal')
    expect(h.value()).toBe('reconnecting')
    h.clock.advance(60_000)
    await toLoggingIn(h)
    h.login().reject(new ChatError('REQUEST_TIMEOUT'))
    await flush()
    expect(h.value()).toBe('reconnecting')
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it("token SSO_IDENTITY_EXCEPTION 'unauthorized' → destroyed with reason unauthorized", async () => {
    const h = createHarness()
    h.token().reject(new ChatError('SSO_IDENTITY_EXCEPTION', 'unauthorized'))
    await flush()
    expect(h.value()).toBe('destroyed')
    expect(h.snapshot().context.reason).toBe('unauthorized')
    expect(h.emittedOf('disconnected')).toEqual([{ type: 'disconnected', reason: 'unauthorized' }])
    // the socket opened with the token request is closed with the attempt
    expect(h.liveSockets()).toHaveLength(0)
  })

  it.each(['server_error', 'temporarily_unavailable'])("token SSO_OAUTH_EXCEPTION '%s' → reconnecting", async (message) => {
    const h = createHarness()
    h.token().reject(new ChatError('SSO_OAUTH_EXCEPTION', message))
    await flush()
    expect(h.value()).toBe('reconnecting')
    expect(h.emittedOf('disconnected')).toEqual([])
  })

  it('a plain token failure (network) reconnects', async () => {
    const h = createHarness()
    h.token().reject(new TypeError('fetch failed'))
    await flush()
    expect(h.value()).toBe('reconnecting')
    expect(h.snapshot().context.reason).toBe('connection_lost')
  })
})

describe('connection machine: commands', () => {
  type H = ReturnType<typeof createHarness>
  const states: Array<[string, () => Promise<H>]> = [
    ['idle', async () => createHarness({ autoConnect: false })],
    ['connecting', async () => createHarness()],
    [
      'session.opening',
      async () => {
        const h = createHarness()
        h.token().resolve({ token: 't', customerId: 'c' })
        await flush()
        return h
      },
    ],
    [
      'session.loggingIn',
      async () => {
        const h = createHarness()
        h.token().resolve({ token: 't', customerId: 'c' })
        await flush()
        h.socket().sendBack({ type: 'socket.opened' })
        return h
      },
    ],
    ['session.connected.stable', () => connected()],
    [
      'session.connected.unstable',
      async () => {
        const h = await connected()
        h.heartbeat().sendBack({ type: 'heartbeat.missed' })
        return h
      },
    ],
    [
      'reconnecting',
      async () => {
        const h = await connected()
        h.socket().sendBack({ type: 'socket.closed' })
        return h
      },
    ],
    [
      'paused',
      async () => {
        const h = await connected()
        h.send({ type: 'server.disconnected', reason: 'inactivity_timeout' })
        return h
      },
    ],
  ]

  it.each(states)('disconnect from %s → idle, everything released', async (_name, make) => {
    const h = await make()
    h.emitted.length = 0
    h.send({ type: 'disconnect' })
    expect(h.value()).toBe('idle')
    expect(h.snapshot().context.reason).toBe(null)
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.heartbeats.every((hb) => !hb.live)).toBe(true)
    expect(h.clock.pending).toBe(0)
    expect(h.emitted).toEqual([])
    h.send({ type: 'connect' })
    expect(h.value()).toEqual(OPENING)
  })

  it.each(states)('destroy from %s → destroyed (final), nothing left running', async (_name, make) => {
    const h = await make()
    h.emitted.length = 0
    h.send({ type: 'destroy' })
    expect(h.value()).toBe('destroyed')
    expect(h.actor.getSnapshot().status).toBe('done')
    expect(h.liveSockets()).toHaveLength(0)
    expect(h.logins.every((l) => !l.live)).toBe(true)
    expect(h.tokens.every((t) => !t.live)).toBe(true)
    expect(h.clock.pending).toBe(0)
    expect(h.emitted).toEqual([])
    const sockets = h.sockets.length
    const tokens = h.tokens.length
    h.send({ type: 'connect' })
    h.clock.advance(60 * 60_000)
    await flush()
    expect(h.value()).toBe('destroyed')
    expect(h.sockets).toHaveLength(sockets)
    expect(h.tokens).toHaveLength(tokens)
  })

  it('a token resolved after disconnect is ignored', async () => {
    const h = createHarness()
    const call = h.token()
    h.send({ type: 'disconnect' })
    call.resolve({ token: 't', customerId: 'c' })
    await flush()
    expect(h.value()).toBe('idle')
    // the attempt's socket was closed with it, and no other one was opened
    expect(h.sockets).toHaveLength(1)
    expect(h.liveSockets()).toHaveLength(0)
  })
})
