/**
 * The agent Web API (`POST /v3.6/agent/action/<action>`) and the Configuration API actions
 * a bot needs (`POST /v3.6/configuration/action/<action>`), bots-and-crm §1 and http.md §7.
 *
 * Both run the RTM side's handlers through the same dispatcher (`dispatchRequest`): the
 * request is one `Exchange` whose session is the credential's agent, the JSON body is the
 * action's payload, and the answer is the response payload as the body, or
 * `{error: {type, message, data?}}` with the status of `webApiStatus`. Credentials:
 * `Authorization: Bearer <agent or bot token>` (the token names its organization), or
 * `Basic base64(<agent id>:<token>)` as a personal access token is sent. A body over
 * `webApiMaxBodyBytes` is refused with 413 before it is read whole; one that is not a JSON
 * object, or is nested deeper than `maxJsonDepth`, with `validation`. Each agent's
 * requests pass a token bucket of the RTM socket's figures (`too_many_requests`, 429).
 */
import type { ServerResponse } from 'node:http'
import { webApiStatus, type WireError } from '@rapport/protocol'
import type { ServerContext } from '../context'
import { isOrganizationAllowed } from '../domain/customers'
import { isLicenseExpired } from '../domain/license'
import { BodyTooLargeError, parseJsonBody, readBody, sendJson } from '../http/httpUtil'
import type { RouteHandler } from '../http/router'
import { TokenBucket } from '../limits'
import type { AgentConfig } from '../options'
import type { SideProtocol } from '../rtm/actionTable'
import type { AgentSession } from '../rtm/connection'
import { dispatchRequest, type Exchange } from '../rtm/dispatcher'

export interface WebApiCaller {
  agent: AgentConfig
  organizationId: string
}

/** The agent and organization of an `Authorization` header, or `undefined`. */
export const authenticate = (ctx: ServerContext, header: string | undefined): WebApiCaller | undefined => {
  if (header === undefined) return undefined
  const byToken = (token: string): WebApiCaller | undefined => {
    const issued = ctx.tokens.find(token, 'agent')
    if (issued) {
      const agent = ctx.agents.get(issued.entity_id)
      return agent ? { agent, organizationId: issued.organization_id } : undefined
    }
    const fixed = ctx.agents.byFixedTokenAnywhere(token)
    return fixed?.tokenOrganizationId === undefined ? undefined : { agent: fixed, organizationId: fixed.tokenOrganizationId }
  }
  const bearer = /^Bearer (\S+)$/.exec(header)
  if (bearer?.[1]) return byToken(bearer[1])
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header)
  if (!basic?.[1]) return undefined
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  const caller = byToken(decoded.slice(colon + 1))
  return caller?.agent.id === decoded.slice(0, colon) ? caller : undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const sendError = (res: ServerResponse, error: WireError, headers: Record<string, string> = {}): void =>
  sendJson(res, webApiStatus(error.type), { error }, headers)

/** One Web API request as the dispatcher's client: answered once, receives no pushes. */
const createExchange = (caller: WebApiCaller): Exchange & { answer: Promise<{ status: number; body: string }> } => {
  let settle: (answer: { status: number; body: string }) => void = () => {}
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    settle = resolve
  })
  return {
    side: 'agent',
    organizationId: caller.organizationId,
    session: { kind: 'agent', agent: caller.agent },
    away: false,
    pending: 0,
    push: () => {},
    // JSON.stringify throws for a payload that does not encode: the dispatcher answers `internal` instead
    respond: (_action, payload) => settle({ status: 200, body: JSON.stringify(payload ?? {}) }),
    fail: (_action, error) => settle({ status: webApiStatus(error.type), body: JSON.stringify({ error }) }),
    answer,
  }
}

export const createWebApiRoutes = (ctx: ServerContext, protocols: { agent: SideProtocol<AgentSession>; configuration: SideProtocol<AgentSession> }) => {
  const buckets = new Map<string, TokenBucket>()
  const overRate = (caller: WebApiCaller): boolean => {
    const key = `${caller.organizationId}\u0000${caller.agent.id}`
    let bucket = buckets.get(key)
    if (!bucket) {
      bucket = new TokenBucket(ctx.limits.requestsPerSecond, ctx.limits.requestBurst)
      buckets.set(key, bucket)
    }
    return !bucket.take()
  }

  const route =
    (protocol: SideProtocol<AgentSession>): RouteHandler =>
    async ({ req, res, params }) => {
      const action = params.action ?? ''
      const caller = authenticate(ctx, req.headers.authorization)
      if (!caller) {
        req.resume()
        return sendError(res, { type: 'authentication', message: 'Invalid or missing credentials' }, { 'WWW-Authenticate': 'Bearer, Basic' })
      }
      if (!isOrganizationAllowed(ctx, caller.organizationId)) return sendError(res, { type: 'license_not_found', message: 'License not found' })
      if (isLicenseExpired(ctx, caller.organizationId)) return sendError(res, { type: 'license_expired', message: 'License expired' })
      if (overRate(caller)) {
        ctx.traffic.rateLimited += 1
        req.resume()
        return sendError(res, { type: 'too_many_requests', message: 'Too many requests' })
      }
      const declared = Number(req.headers['content-length'] ?? 0)
      if (declared > ctx.options.webApiMaxBodyBytes) throw new BodyTooLargeError('Body too large')
      const body = parseJsonBody(await readBody(req, ctx.options.webApiMaxBodyBytes), ctx.options.maxJsonDepth)
      if (!body.ok) return sendError(res, { type: 'validation', message: body.message })
      const payload = body.value
      if (!isRecord(payload)) return sendError(res, { type: 'validation', message: 'The body must be a JSON object (the action’s payload)' })
      const exchange = createExchange(caller)
      dispatchRequest(ctx, protocol, exchange, action, payload, undefined)
      const answer = await exchange.answer
      res.writeHead(answer.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(answer.body),
        'Cache-Control': 'no-store',
      })
      res.end(answer.body)
    }

  return { agent: route(protocols.agent), configuration: route(protocols.configuration) }
}
