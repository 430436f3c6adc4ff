import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { createAdmin, type ServerAdmin } from './admin'
import type { ServerContext } from './context'
import { AgentDirectory } from './domain/agentDirectory'
import { isOrganizationAllowed } from './domain/customers'
import { GroupDirectory } from './domain/groupDirectory'
import { PlatformState } from './domain/platform'
import { TokenService } from './domain/tokenService'
import { addAdminRoutes, adminGate } from './http/adminRoutes'
import { CrmEndpoint } from './http/crmEndpoint'
import { serveFileRoute, uploadFileRoute } from './http/files'
import { BodyTooLargeError, applyCors, sendJson } from './http/httpUtil'
import { Router, type RouteContext } from './http/router'
import { TokenEndpoint } from './http/tokenEndpoint'
import { resolveOptions, type ServerOptions } from './options'
import { agentProtocol, announceRoutingStatus } from './rtm/agent'
import { connectionFlow, createLimitsContext, startSweeper, type SweepReport } from './limitsRuntime'
import { Connection, type ConnectionSide, type TrafficStats } from './rtm/connection'
import { ConnectionRegistry } from './rtm/connectionRegistry'
import { customerProtocol } from './rtm/customer'
import { dispatchFrame } from './rtm/dispatcher'
import { ConnectionPublisher } from './rtm/fanout'
import { refuseOverRate } from './rtm/overRate'
import { MemoryStorage } from './storage/memoryStorage'
import { createClock } from './util/clock'
import { configurationProtocol } from './webApi/configuration'
import { createWebApiRoutes } from './webApi/routes'
import { Webhooks, type WebhookDelivery } from './webApi/webhooks'

export interface RapportServer {
  /** HTTP origin, e.g. `http://127.0.0.1:8080` (RTM: the same origin with `ws:`). */
  url: string
  port: number
  admin: ServerAdmin
  /** Runs the limits' sweep now (it also runs every `limits.sweepIntervalMs`): expires unused customers. */
  sweep(nowMs?: number): SweepReport
  /** A copy of the RTM flow-control counters (rate-limited frames, paused and closed slow readers). */
  traffic(): TrafficStats
  /** The webhooks' delivery log (oldest first, bounded) and a wait for the deliveries under way. */
  webhooks: { deliveries(): WebhookDelivery[]; settled(): Promise<void> }
  /** Closes every socket and the listener. */
  close(): Promise<void>
}

const RTM_PATH = /^\/v3\.[56]\/(customer|agent)\/rtm\/ws\/?$/

const ignore = (): void => {}

/** The request target as a URL, or `undefined` when it is not one. */
const requestUrl = (req: IncomingMessage): URL | undefined => {
  try {
    return new URL(req.url ?? '/', 'http://localhost')
  } catch {
    return undefined
  }
}

/** `/rapport/admin` and everything under it (segments as the router reads them). */
const isAdminPath = (pathname: string): boolean => {
  const [first, second] = pathname.split('/').filter(Boolean)
  return first === 'rapport' && second === 'admin'
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'])

/** The origins of the server itself: its listen address and, when that is loopback or any, the loopback names. */
const originsOf = (listenHost: string, urlHost: string, port: number): ReadonlySet<string> => {
  const origins = new Set([`http://${urlHost.toLowerCase()}:${port}`])
  if (LOOPBACK_HOSTS.has(listenHost.toLowerCase())) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${name}:${port}`)
  }
  return origins
}

const rejectUpgrade = (socket: Duplex, status: number, reason: string): void => {
  const body = JSON.stringify({ error: { type: 'validation', message: reason } })
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

/** Starts the local Customer Chat API v3.6 server (HTTP + RTM on one port). */
export const createServer = async (options: ServerOptions = {}): Promise<RapportServer> => {
  const resolved = resolveOptions(options)
  const storage = options.storage ?? new MemoryStorage()
  const clock = createClock()
  const agents = new AgentDirectory(resolved.agents)
  const registry = new ConnectionRegistry()
  const webhooks = new Webhooks(resolved.webhooks, agents, resolved.logger, () => new Date(clock.nowMs()).toISOString())
  const ctx: ServerContext = {
    options: resolved,
    storage,
    clock,
    agents,
    tokens: new TokenService(storage, clock, resolved.tokenLifetimeS),
    registry,
    publisher: new ConnectionPublisher(registry, agents, resolved.logger, webhooks),
    webhooks,
    presence: registry,
    groups: new GroupDirectory(resolved),
    platform: new PlatformState(resolved),
    ...createLimitsContext(options.limits),
  }
  const logger = resolved.logger
  const sweeper = startSweeper(ctx)
  const tokenEndpoint = new TokenEndpoint(ctx)
  const crmEndpoint = new CrmEndpoint(ctx)
  const admin = createAdmin(ctx, tokenEndpoint, crmEndpoint)

  const router = new Router()
    .on('GET', '/healthz', ({ res }) => sendJson(res, 200, { ok: true }))
    .on('POST', '/v2/customer/token', tokenEndpoint.handle)
    .on('POST', '/v2/customer/:org/:group/token', tokenEndpoint.handle)
    .on('POST', '/v3.6/customer/action/upload_file', uploadFileRoute(ctx))
    .on('POST', '/v3.5/customer/action/upload_file', uploadFileRoute(ctx))
    .on('GET', '/files/:id/:name', serveFileRoute(ctx))
    .on('GET', '/v1/customers/:id', crmEndpoint.handle)
  const webApi = createWebApiRoutes(ctx, { agent: agentProtocol, configuration: configurationProtocol })
  router.on('POST', '/v3.6/agent/action/:action', webApi.agent).on('POST', '/v3.6/configuration/action/:action', webApi.configuration)
  // The admin HTTP API exists only with a secret, on a router of its own behind `adminGate`.
  const adminSecret = resolved.adminSecret
  const adminRouter = adminSecret === undefined ? undefined : new Router()
  if (adminRouter) addAdminRoutes(adminRouter, admin, resolved.maxJsonDepth)
  let ownOrigins: ReadonlySet<string> = new Set()

  const notFound = (res: ServerResponse): void => sendJson(res, 404, { error: { type: 'not_found', message: 'Not found' } })

  const route = async (selected: Router, context: Omit<RouteContext, 'params'>): Promise<void> => {
    const match = selected.match(context.req.method ?? 'GET', context.url.pathname)
    if (!match) return notFound(context.res)
    if ('methodMismatch' in match) return sendJson(context.res, 405, { error: { type: 'validation', message: 'Method not allowed' } })
    await match.handler({ ...context, params: match.params })
  }

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req)
    if (!url) return sendJson(res, 400, { error: { type: 'validation', message: 'Bad request target' } })
    if (isAdminPath(url.pathname)) {
      // No CORS on admin routes, ever; without a secret they do not exist.
      if (!adminRouter || adminSecret === undefined) return notFound(res)
      const context = { req, res, url }
      if (!adminGate({ ...context, params: {} }, { secret: adminSecret, maxJsonDepth: resolved.maxJsonDepth, ownOrigins: () => ownOrigins })) return
      return route(adminRouter, context)
    }
    if (applyCors(req, res, resolved.corsOrigins)) return
    await route(router, { req, res, url })
  }

  /** The answer to a request whose handler threw: never throws itself (at worst the socket is destroyed). */
  const answerFailure = (res: ServerResponse, error: unknown): void => {
    try {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: { type: 'entity_too_large', message: 'Body too large' } })
        return
      }
      logger.error('HTTP request failed', error)
      sendJson(res, 500, { error: { type: 'internal', message: 'Internal server error' } })
    } catch {
      res.destroy()
    }
  }

  const httpServer = createHttpServer((req, res) => {
    // A stream error nobody listens to would be thrown out of the process.
    req.on('error', ignore)
    res.on('error', ignore)
    handleRequest(req, res).catch((error: unknown) => answerFailure(res, error))
  })

  /** Runs a ws event's handling; whatever it throws is logged, never thrown out of the event. */
  const guarded = (what: string, fn: () => void): void => {
    try {
      fn()
    } catch (error) {
      logger.error(`${what} failed`, error)
    }
  }

  const onClose = (connection: Connection): void => {
    ctx.registry.remove(connection)
    const session = connection.session
    if (session?.kind !== 'agent') return
    const others = ctx.registry.agentConnections({ organizationId: connection.organizationId, agentId: session.agent.id })
    if (others.length > 0) return
    const before = ctx.agents.status(connection.organizationId, session.agent.id)
    ctx.agents.endSession(connection.organizationId, session.agent.id)
    if (before !== 'offline') announceRoutingStatus(ctx, connection.organizationId, session.agent.id, 'offline')
  }

  const attach = (ws: WebSocket, side: ConnectionSide, organizationId: string, req: IncomingMessage): void => {
    const timers = {
      loginTimeoutMs: resolved.loginTimeoutMs,
      idleTimeoutMs: resolved.idleTimeoutMs,
      serverPingIntervalMs: resolved.serverPingIntervalMs,
    }
    const hooks = {
      onText: (c: Connection, text: string) =>
        guarded(`${side} frame`, () =>
          side === 'customer' ? dispatchFrame(ctx, customerProtocol, c, text) : dispatchFrame(ctx, agentProtocol, c, text),
        ),
      onClose: (c: Connection) => guarded(`${side} connection close`, () => onClose(c)),
      onOverRate: (c: Connection, text: string) => guarded(`${side} frame over the rate`, () => refuseOverRate(c, text)),
    }
    const connection = new Connection(ws, side, organizationId, timers, hooks, connectionFlow(ctx.limits), ctx.traffic)
    const userAgent = req.headers['user-agent']
    connection.peer = { ...(req.socket.remoteAddress === undefined ? {} : { ip: req.socket.remoteAddress }), ...(userAgent === undefined ? {} : { userAgent }) }
    ctx.registry.add(connection)
    if (!isOrganizationAllowed(ctx, organizationId)) connection.disconnect('license_not_found')
    const region = ctx.platform.region(organizationId)
    if (region !== undefined) connection.disconnect('misdirected_connection', { region })
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = requestUrl(req)
    if (!url) return rejectUpgrade(socket, 400, 'Bad Request')
    const path = RTM_PATH.exec(url.pathname)
    const side = path?.[1]
    if (side !== 'customer' && side !== 'agent') return rejectUpgrade(socket, 404, 'Not Found')
    const organizationId = url.searchParams.get('organization_id')
    if (!organizationId) return rejectUpgrade(socket, 400, 'Bad Request')
    wss.handleUpgrade(req, socket, head, (ws) => {
      try {
        attach(ws, side, organizationId, req)
      } catch (error) {
        logger.error('RTM connection setup failed', error)
        ws.terminate()
      }
    })
  }
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', ignore)
    try {
      upgrade(req, socket, head)
    } catch (error) {
      logger.error('RTM upgrade failed', error)
      socket.destroy()
    }
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(resolved.port, resolved.host, () => {
      httpServer.off('error', reject)
      resolve()
    })
  })
  const port = (httpServer.address() as AddressInfo).port
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host
  ownOrigins = originsOf(resolved.host, host, port)

  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    admin,
    sweep: (nowMs) => sweeper.sweep(nowMs),
    traffic: () => ({ ...ctx.traffic }),
    webhooks: { deliveries: () => webhooks.deliveries(), settled: () => webhooks.settled() },
    close() {
      closing ??= new Promise<void>((resolve) => {
        sweeper.stop()
        webhooks.close()
        for (const connection of ctx.registry.all()) connection.drop()
        wss.close()
        httpServer.close(() => {
          if (!options.storage) storage.close()
          resolve()
        })
        httpServer.closeAllConnections()
      })
      return closing
    },
  }
}
