import type { WireTokenResponse } from '@rapport/protocol'
import { afterEach } from 'vitest'
import { createServer, type RapportServer } from '../../server'
import type { ServerOptions } from '../../options'
import { SqliteStorage } from '../../storage/sqliteStorage'
import type { Storage } from '../../storage/storage'
import { TestSocket } from './testSocket'

export const ORG = 'a0a0a0a0-0000-4000-8000-000000000001'
export const BOT = { id: 'bot@test', name: 'Test Bot', type: 'bot' as const }
export const AGENT = { id: 'agent@test', name: 'Agent Smith', type: 'agent' as const, groups: [1] }
/** The admin secret of every harness server: the admin HTTP API is on in these tests (it is off by default). */
export const ADMIN_SECRET = 'test-admin-secret-0123456789'

const servers: RapportServer[] = []
const sockets: TestSocket[] = []
const stores: Storage[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close()
  await Promise.all(servers.splice(0).map((s) => s.close()))
  for (const store of stores.splice(0)) store.close()
})

/**
 * The store of a test server that names none: the server's default (memory), or with
 * `RAPPORT_TEST_STORAGE=sqlite` an in-memory SQLite database, to run every server test
 * against `SqliteStorage`.
 */
const defaultStorage = (): { storage?: Storage } => {
  if (process.env.RAPPORT_TEST_STORAGE !== 'sqlite') return {}
  const storage = new SqliteStorage(':memory:')
  stores.push(storage)
  return { storage }
}

export interface Harness {
  server: RapportServer
  wsUrl(side: 'customer' | 'agent', organizationId?: string): string
  /** A new customer's token from the token endpoint, or (given `customerId`) that customer's from `server.admin`. */
  token(organizationId?: string, customerId?: string): Promise<WireTokenResponse>
  /** A request to the admin HTTP API (`/rapport/admin/<path>`) with the secret; a body is sent as JSON. */
  adminFetch(path: string, body?: unknown, method?: string): Promise<Response>
  open(side: 'customer' | 'agent', organizationId?: string, options?: { autoPong?: boolean }): Promise<TestSocket>
  /** A customer socket, logged in (new identity unless `customerId`). */
  customer(options?: { customerId?: string; organizationId?: string; login?: Record<string, unknown> }): Promise<{
    socket: TestSocket
    customerId: string
    login: Record<string, unknown>
  }>
  /** An agent socket, logged in; `accepting` sets routing status `accepting_chats` (default true). */
  agent(agentId?: string, options?: { accepting?: boolean; organizationId?: string; login?: Record<string, unknown> }): Promise<TestSocket>
}

export const startServer = async (options: ServerOptions = {}): Promise<Harness> => {
  const server = await createServer({
    port: 0,
    agents: [BOT, AGENT],
    serverPingIntervalMs: 0,
    adminSecret: ADMIN_SECRET,
    ...(options.storage ? {} : defaultStorage()),
    ...options,
  })
  servers.push(server)
  const wsUrl = (side: 'customer' | 'agent', organizationId = ORG): string =>
    `${server.url.replace('http', 'ws')}/v3.6/${side}/rtm/ws?organization_id=${organizationId}`
  const token = async (organizationId = ORG, customerId?: string): Promise<WireTokenResponse> => {
    // The token endpoint never names an identity by id: a known customer's token comes from the admin.
    if (customerId !== undefined) return server.admin.issueCustomerToken(organizationId, customerId)
    const response = await fetch(`${server.url}/v2/customer/token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: organizationId }),
    })
    return (await response.json()) as WireTokenResponse
  }
  const adminFetch = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Response> =>
    fetch(`${server.url}/rapport/admin/${path.replace(/^\//, '')}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_SECRET}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const open = async (side: 'customer' | 'agent', organizationId?: string, options?: { autoPong?: boolean }): Promise<TestSocket> => {
    const socket = await TestSocket.open(wsUrl(side, organizationId), options)
    sockets.push(socket)
    return socket
  }
  return {
    server,
    wsUrl,
    token,
    adminFetch,
    open,
    async customer(options = {}) {
      const issued = await token(options.organizationId, options.customerId)
      const socket = await open('customer', options.organizationId)
      const login = await socket.ok('login', { token: `Bearer ${issued.access_token}`, ...options.login })
      return { socket, customerId: issued.entity_id, login }
    },
    async agent(agentId = BOT.id, options = {}) {
      const { access_token } = server.admin.issueAgentToken(agentId, options.organizationId ?? ORG)
      const socket = await open('agent', options.organizationId)
      await socket.ok('login', { token: `Bearer ${access_token}`, ...options.login })
      if (options.accepting ?? true) await socket.ok('set_routing_status', { status: 'accepting_chats' })
      return socket
    },
  }
}
