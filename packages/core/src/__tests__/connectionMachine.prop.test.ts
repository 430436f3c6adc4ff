import { DISCONNECT_REASONS, WIRE_ERROR_TYPES, type WireErrorType } from '@rapport/protocol'
import { FakeEnv, type FakeSocket } from '@rapport/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ChatError } from '../chatError'
import type { ConnectionEvent } from '../connection/connectionMachine'
import type { CustomerClient } from '../customerClient'
import { flush, loginResponse, setup } from './helpers'
import { createHarness } from './machineHarness'

const NUM_RUNS = 120
const reasonArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...DISCONNECT_REASONS) },
  { weight: 1, arbitrary: fc.constantFrom('brand_new_reason', 'internal_error_2', '') },
)
const wireErrorArb = fc.constantFrom<WireErrorType>(...WIRE_ERROR_TYPES)
const advanceArb = fc.integer({ min: 1, max: 60_000 })

/** `connection_recovered` only right after `connection_unstable`; `connection_unstable` only while connected. */
const checkLivenessEmits = (types: string[]) => {
  let last: string | undefined
  for (const type of types) {
    if (type === 'connection_recovered') expect(last).toBe('connection_unstable')
    if (type === 'connection_unstable') expect(last === 'connected' || last === 'connection_recovered').toBe(true)
    if (type === 'connected' || type === 'connection_unstable' || type === 'connection_recovered') last = type
    if (type === 'disconnected') last = type
  }
}

// ---------------------------------------------------------------------------------------
// 1. the machine with controllable actors
// ---------------------------------------------------------------------------------------

type H = ReturnType<typeof createHarness>
interface MachineModel {
  destroyedAt: { sockets: number; tokens: number } | null
}

/** The session's sub-state: `'loggingIn'`, `{ opening: … }` or `{ connected: … }`; undefined outside a session. */
const sessionOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { session?: unknown }).session : undefined)
const isConnectedValue = (value: unknown) => {
  const session = sessionOf(value)
  return typeof session === 'object' && session !== null && 'connected' in session
}
const isOpeningValue = (value: unknown) => {
  const session = sessionOf(value)
  return typeof session === 'object' && session !== null && 'opening' in session
}

const checkMachine = (m: MachineModel, h: H) => {
  const snapshot = h.snapshot()
  expect(h.liveSockets().length).toBeLessThanOrEqual(1)
  expect(h.tokens.filter((t) => t.live).length).toBeLessThanOrEqual(1)
  expect(h.logins.filter((l) => l.live).length).toBeLessThanOrEqual(1)
  // a login runs only in loggingIn, a heartbeat only while connected; canSend only while connected
  const value = snapshot.value as unknown
  const loggingIn = typeof value === 'object' && (value as { session?: unknown }).session === 'loggingIn'
  if (h.logins.some((l) => l.live)) expect(loggingIn).toBe(true)
  expect(snapshot.hasTag('canSend')).toBe(isConnectedValue(value))
  expect(h.heartbeats.some((hb) => hb.live)).toBe(isConnectedValue(value))
  // a socket lives only in session
  if (h.liveSockets().length > 0) expect(typeof value === 'object' && value !== null && 'session' in value).toBe(true)
  if (snapshot.value === 'destroyed' && m.destroyedAt === null) m.destroyedAt = { sockets: h.sockets.length, tokens: h.tokens.length }
  if (m.destroyedAt) {
    expect(snapshot.value).toBe('destroyed')
    expect(h.sockets.length).toBe(m.destroyedAt.sockets)
    expect(h.tokens.length).toBe(m.destroyedAt.tokens)
    expect(h.clock.pending).toBe(0)
    expect(h.liveSockets()).toHaveLength(0)
  }
  checkLivenessEmits(h.emitted.map((e) => e.type))
}

class MachineCommand implements fc.AsyncCommand<MachineModel, H> {
  constructor(
    private readonly label: string,
    private readonly act: (h: H) => void,
  ) {}
  check = () => true
  async run(m: MachineModel, h: H) {
    this.act(h)
    await flush()
    checkMachine(m, h)
  }
  toString = () => this.label
}

const lastLive = <T extends { live: boolean }>(list: T[]) => list.filter((x) => x.live).at(-1)

const machineCommands = [
  fc.constant(new MachineCommand('socket.opened', (h) => lastLive(h.sockets)?.sendBack({ type: 'socket.opened' }))),
  fc.constant(new MachineCommand('socket.closed', (h) => lastLive(h.sockets)?.sendBack({ type: 'socket.closed', code: 1006 }))),
  fc.constant(new MachineCommand('token ok', (h) => lastLive(h.tokens)?.resolve({ token: 'Bearer t', customerId: 'customer-1' }))),
  fc.constant(new MachineCommand('token other id', (h) => lastLive(h.tokens)?.resolve({ token: 'Bearer t', customerId: 'customer-2' }))),
  fc
    .constantFrom('server_error', 'unauthorized', 'temporarily_unavailable', 'network')
    .map(
      (kind) =>
        new MachineCommand(`token fails ${kind}`, (h) =>
          lastLive(h.tokens)?.reject(kind === 'network' ? new TypeError('fetch failed') : new ChatError(kind === 'unauthorized' ? 'SSO_IDENTITY_EXCEPTION' : 'SSO_OAUTH_EXCEPTION', kind)),
        ),
    ),
  fc.constant(new MachineCommand('login ok', (h) => lastLive(h.logins)?.resolve())),
  wireErrorArb.map((type) => new MachineCommand(`login fails ${type}`, (h) => lastLive(h.logins)?.reject(ChatError.fromWire({ type, message: '' })))),
  reasonArb.map(
    (reason) =>
      new MachineCommand(`server.disconnected ${reason}`, (h) =>
        h.send({ type: 'server.disconnected', reason, ...(reason === 'misdirected_connection' && { data: { region: 'fra' } }) }),
      ),
  ),
  fc.constantFrom('heartbeat.missed', 'heartbeat.recovered').map((type) => new MachineCommand(type, (h) => lastLive(h.heartbeats)?.sendBack({ type }))),
  fc
    .constantFrom<ConnectionEvent['type']>('network.online', 'network.offline', 'page.hidden', 'page.visible', 'connect', 'disconnect')
    .map((type) => new MachineCommand(type, (h) => h.send({ type } as ConnectionEvent))),
  fc.constant(new MachineCommand('destroy', (h) => h.send({ type: 'destroy' }))),
  advanceArb.map((ms) => new MachineCommand(`advance ${ms}`, (h) => h.clock.advance(ms))),
]

/** The actors all behave: resolve whatever runs, open whatever socket, let timers fire. */
const driveMachineToConnected = async (h: H): Promise<boolean> => {
  for (let i = 0; i < 50; i++) {
    await flush()
    const value = h.snapshot().value as unknown
    if (isConnectedValue(value)) return true
    if (value === 'idle' || value === 'paused') h.send({ type: 'connect' })
    else if (lastLive(h.tokens)) lastLive(h.tokens)?.resolve({ token: 'Bearer t', customerId: 'customer-1' })
    else if (lastLive(h.logins)) lastLive(h.logins)?.resolve()
    else if (isOpeningValue(value)) lastLive(h.sockets)?.sendBack({ type: 'socket.opened' })
    else h.clock.runAll()
  }
  return false
}

describe('connection machine, random event sequences (fake actors)', () => {
  it('keeps its invariants, stays destroyed, and reconnects when everything behaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.commands(machineCommands, { maxCommands: 40 }), async (autoConnect, commands) => {
        const h = createHarness({ autoConnect, random: () => 0.5 })
        const model: MachineModel = { destroyedAt: null }
        await fc.asyncModelRun(() => ({ model, real: h }), commands)
        if (model.destroyedAt) {
          h.send({ type: 'connect' })
          await flush()
          checkMachine(model, h)
        } else {
          expect(await driveMachineToConnected(h)).toBe(true)
          expect(h.snapshot().hasTag('canSend')).toBe(true)
          h.send({ type: 'destroy' })
          await flush()
          expect(h.value()).toBe('destroyed')
          expect(h.clock.pending).toBe(0)
          expect(h.liveSockets()).toHaveLength(0)
        }
        h.actor.stop()
      }),
      { numRuns: NUM_RUNS },
    )
  })
})

// ---------------------------------------------------------------------------------------
// 2. the real customer client on a FakeEnv (real socket, login, heartbeat, auth actors)
// ---------------------------------------------------------------------------------------

type TokenMode = 'ok' | 'server_error' | 'unauthorized' | 'network'

interface Real {
  env: FakeEnv
  client: CustomerClient
  tokenMode: { value: TokenMode }
  /** Per socket: how many frames it had sent when its login succeeded. */
  loginOkAt: Map<FakeSocket, number>
  requests: Array<{ settled: boolean; error?: unknown }>
}
interface ClientModel {
  destroyedAt: { sockets: number } | null
}

const ALLOWED_CODES = new Set(['CONNECTION_LOST', 'NO_CONNECTION', 'SDK_DESTROYED', 'REQUEST_TIMEOUT', ...WIRE_ERROR_TYPES.map((t) => t.toUpperCase())])

const checkClient = (m: ClientModel, r: Real) => {
  const { env, client } = r
  expect(env.liveSockets.length).toBeLessThanOrEqual(1)
  // nothing but `login` goes out on a socket before its login succeeded
  for (const socket of env.sockets) {
    const before = socket.sentFrames.slice(0, r.loginOkAt.get(socket) ?? socket.sent.length)
    expect(before.map((f) => f.action).filter((a) => a !== 'login')).toEqual([])
    expect(before.filter((f) => f.action === 'login').length).toBeLessThanOrEqual(1)
  }
  if (client.status === 'destroyed' && m.destroyedAt === null) m.destroyedAt = { sockets: env.sockets.length }
  if (m.destroyedAt) {
    expect(client.status).toBe('destroyed')
    expect(env.sockets.length).toBe(m.destroyedAt.sockets)
    expect(env.liveSockets).toHaveLength(0)
  }
}

const openSocket = (env: FakeEnv) => env.sockets.at(-1)?.isOpen ? env.sockets.at(-1) : undefined
/** The latest `login` on the current socket that has not been answered. */
const unansweredLogin = (r: Real) => {
  const socket = openSocket(r.env)
  if (!socket || r.loginOkAt.has(socket)) return undefined
  const answered = (socket as FakeSocket & { answered?: Set<string> }).answered ?? new Set<string>()
  const login = socket.lastSent('login')
  return login?.request_id !== undefined && !answered.has(login.request_id) ? { socket, login, answered } : undefined
}
const markAnswered = (socket: FakeSocket, answered: Set<string>, id: string) => {
  answered.add(id)
  ;(socket as FakeSocket & { answered?: Set<string> }).answered = answered
}

const answerLogin = (r: Real) => {
  const pending = unansweredLogin(r)
  if (!pending) return
  markAnswered(pending.socket, pending.answered, pending.login.request_id as string)
  r.loginOkAt.set(pending.socket, pending.socket.sent.length)
  pending.socket.respond('login', loginResponse())
}

const handshake = async (r: Real) => {
  await flush(10)
  if (r.env.sockets.at(-1)?.readyState === 0) r.env.sockets.at(-1)?.open()
  await flush(10)
  answerLogin(r)
}

class ClientCommand implements fc.AsyncCommand<ClientModel, Real> {
  constructor(
    private readonly label: string,
    private readonly act: (r: Real) => void | Promise<void>,
  ) {}
  check = () => true
  async run(m: ClientModel, r: Real) {
    await this.act(r)
    await flush(10)
    checkClient(m, r)
  }
  toString = () => this.label
}

const track = (r: Real, promise: Promise<unknown>) => {
  const entry: Real['requests'][number] = { settled: false }
  r.requests.push(entry)
  promise.then(
    () => void (entry.settled = true),
    (error: unknown) => {
      entry.settled = true
      entry.error = error
    },
  )
}

const clientCommands = [
  fc.constant(new ClientCommand('socket open', (r) => (r.env.sockets.at(-1)?.readyState === 0 ? r.env.sockets.at(-1)?.open() : undefined))),
  fc.constant(new ClientCommand('socket drop', (r) => r.env.liveSockets.at(-1)?.drop(1006))),
  fc.constant(
    new ClientCommand('socket error', (r) => {
      const socket = r.env.liveSockets.at(-1)
      socket?.onerror?.({})
      socket?.drop(1006)
    }),
  ),
  fc.constant(new ClientCommand('login ok', answerLogin)),
  // a well-behaved server in one step (weighted), so that random runs spend time connected
  ...[1, 2, 3].map(() => fc.constant(new ClientCommand('handshake', handshake))),
  wireErrorArb.map(
    (type) =>
      new ClientCommand(`login fails ${type}`, (r) => {
        const pending = unansweredLogin(r)
        if (!pending) return
        markAnswered(pending.socket, pending.answered, pending.login.request_id as string)
        pending.socket.receive({ request_id: pending.login.request_id, action: 'login', type: 'response', success: false, payload: { error: { type, message: '' } } })
      }),
  ),
  fc.constantFrom<TokenMode>('ok', 'ok', 'server_error', 'network', 'unauthorized').map((mode) => new ClientCommand(`token endpoint ${mode}`, (r) => void (r.tokenMode.value = mode))),
  fc.constant(new ClientCommand('token expires', (r) => r.env.storage.removeItem('@@lc_auth_token:org'))),
  reasonArb.map(
    (reason) =>
      new ClientCommand(`customer_disconnected ${reason}`, (r) => {
        const socket = openSocket(r.env)
        if (!socket) return
        socket.receive({ action: 'customer_disconnected', type: 'push', payload: { reason, ...(reason === 'misdirected_connection' && { data: { region: 'fra' } }) } })
        socket.drop(1000)
      }),
  ),
  fc.constant(new ClientCommand('server answers ping', (r) => (openSocket(r.env)?.lastSent('ping') ? openSocket(r.env)?.respond('ping', {}) : undefined))),
  fc.constant(
    new ClientCommand('server answers get_customer', (r) =>
      openSocket(r.env)?.lastSent('get_customer') ? openSocket(r.env)?.respond('get_customer', loginResponse().customer) : undefined,
    ),
  ),
  fc.constantFrom('online', 'offline', 'visible', 'hidden').map((signal) => new ClientCommand(`signal ${signal}`, (r) => r.env.signal(signal))),
  advanceArb.map((ms) => new ClientCommand(`advance ${ms}`, (r) => r.env.clock.advance(ms))),
  advanceArb.map((ms) => new ClientCommand(`advance ${ms}`, (r) => r.env.clock.advance(ms))),
  fc.constant(new ClientCommand('socket drop', (r) => r.env.liveSockets.at(-1)?.drop(1006))),
  fc.constant(new ClientCommand('getCustomer()', (r) => track(r, r.client.getCustomer()))),
  fc.constant(new ClientCommand('getCustomer()', (r) => track(r, r.client.getCustomer()))),
  fc.constant(new ClientCommand("request('ping')", (r) => track(r, r.client.request('ping', {})))),
  fc.constant(
    new ClientCommand('connect()', (r) => {
      try {
        r.client.connect()
      } catch (error) {
        expect(error).toBeInstanceOf(ChatError)
        expect((error as ChatError).code).toBe('SDK_DESTROYED')
        expect(r.client.status).toBe('destroyed')
      }
    }),
  ),
  fc.constant(new ClientCommand('disconnect()', (r) => r.client.disconnect())),
  fc.constant(new ClientCommand('destroy()', (r) => r.client.destroy())),
]

/** A well-behaved network and server: open sockets, answer logins, let timers run. */
const driveClientToConnected = async (r: Real): Promise<boolean> => {
  r.tokenMode.value = 'ok'
  if (!r.env.online) r.env.signal('online')
  if (!r.env.visible) r.env.signal('visible')
  for (let i = 0; i < 60; i++) {
    await flush(10)
    if (r.client.status === 'connected') return true
    if (r.client.status === 'idle' || r.client.status === 'paused') r.client.connect()
    else if (r.env.sockets.at(-1)?.readyState === 0) r.env.sockets.at(-1)?.open()
    else if (unansweredLogin(r)) answerLogin(r)
    else r.env.clock.runAll()
  }
  return false
}

describe('customer client, random event sequences (FakeEnv)', () => {
  it('keeps the connection invariants, settles every request, and leaks nothing after destroy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.commands(clientCommands, { maxCommands: 40, size: 'medium' }), async (autoConnect, commands) => {
        const tokenMode = { value: 'ok' as TokenMode }
        const env = new FakeEnv({
          seed: 7,
          http: () => {
            switch (tokenMode.value) {
              case 'ok':
                return { status: 200, body: JSON.stringify({ access_token: 'dal:test', entity_id: 'customer-1', expires_in: 28_800, token_type: 'Bearer' }) }
              case 'server_error':
                return { status: 500, body: JSON.stringify({ oauth_exception: 'server_error' }) }
              case 'unauthorized':
                return { status: 401, body: JSON.stringify({ identity_exception: 'unauthorized' }) }
              case 'network':
                throw new TypeError('fetch failed')
            }
          },
        })
        const { client } = setup({ autoConnect }, env)
        const real: Real = { env, client, tokenMode, loginOkAt: new Map(), requests: [] }
        const model: ClientModel = { destroyedAt: null }
        await fc.asyncModelRun(() => ({ model, real }), commands)

        if (!model.destroyedAt) {
          expect(await driveClientToConnected(real)).toBe(true)
          checkClient(model, real)
          // a request now goes out and is answered
          const customer = client.getCustomer()
          await flush(10)
          openSocket(env)?.respond('get_customer', loginResponse().customer)
          await expect(customer).resolves.toMatchObject({ id: 'customer-1' })
          // and some stay in flight across destroy
          track(real, client.getCustomer())
          track(real, client.request('ping', {}))
          await flush(10)
        }

        client.destroy()
        await flush(10)
        expect(client.status).toBe('destroyed')
        expect(() => client.connect()).toThrow(ChatError)
        expect(env.liveSockets).toHaveLength(0)
        expect(env.clock.pending).toBe(0)
        expect(env.signalListeners).toBe(0)
        for (const request of real.requests) {
          expect(request.settled).toBe(true)
          if (request.error !== undefined) {
            expect(request.error).toBeInstanceOf(ChatError)
            expect(ALLOWED_CODES).toContain((request.error as ChatError).code)
          }
        }
        checkClient(model, real)
      }),
      { numRuns: NUM_RUNS },
    )
  })
})
