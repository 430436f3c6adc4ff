/**
 * The HTTP face of `ServerAdmin` (development and test tooling), JSON in and out. It
 * exists only when the server has an `adminSecret` (`RAPPORT_ADMIN_SECRET`), and every
 * request must pass `adminGate` first:
 *
 * - `Authorization: Bearer <adminSecret>` (compared in constant time), else 401
 *   `authentication`;
 * - no browser may call it from another origin: a request whose `Origin` is not the
 *   server's own, or whose `Sec-Fetch-Site` is `cross-site`/`same-site`, gets 403
 *   `authorization`; no CORS header is ever sent on these routes, and a preflight is
 *   refused like any other cross-origin request;
 * - a `POST` must declare `Content-Type: application/json` (415 `validation` otherwise),
 *   which also makes every cross-origin `POST` need a preflight;
 * - a JSON body nested deeper than `maxJsonDepth` is 400 `validation`.
 *
 * Routes:
 *
 * - `GET  /rapport/admin/health` → `{ok, connections, customers, chats}`
 * - `POST /rapport/admin/agent-token` `{agent_id, organization_id}` → `{access_token, token_type}` (valid in that organization only)
 * - `POST /rapport/admin/customer-token` `{organization_id, customer_id?}` → token response
 * - `POST /rapport/admin/customers/:id/disconnect` `{reason, data?}` → `{ok, connections}`
 * - `POST /rapport/admin/customers/:id/drop` → `{ok, connections}`
 * - `POST /rapport/admin/customers/:id/stall` `{stalled?: boolean}` → `{ok, connections}`
 * - `POST /rapport/admin/agents/:id/disconnect` `{reason, data?}` → `{ok, connections}`
 * - `POST /rapport/admin/token-failure` `{status, body}` or `{}` (clear) → `{ok}`
 *
 * Platform-driven pushes and switches (`organization_id` is optional where the customer
 * has an open socket):
 * - `GET  /rapport/admin/customers/:id?organization_id=` → the stored customer (no secret)
 * - `POST /rapport/admin/customers/:id/greeting` `{organization_id?, id?, agent_id?, text?, rich_message?, subtype?, is_exit_intent?}` → `{id, unique_id}`
 * - `POST /rapport/admin/customers/:id/ban` `{banned?: boolean, organization_id?}` → `{ok, connections}`
 * - `POST /rapport/admin/customers/:id/expire-tokens` → `{ok, tokens, connections}`
 * - `POST /rapport/admin/customers/:id/side-storage` `{customer_side_storage, organization_id?}` → `{ok, connections}`
 * - `POST /rapport/admin/organizations/:org/license` `{expired: boolean}` → `{ok, connections}`
 * - `POST /rapport/admin/organizations/:org/region` `{region?: string}` (absent = home region) → `{ok, connections}`
 * - `POST /rapport/admin/organizations/:org/event` `{chat_id, thread_id, event_id, event: {…fields}}` → `{event}` (pushes `event_updated`)
 * - `POST /rapport/admin/groups` `{id, name?, routing?, forms?, welcome_message?, pages?}` → `{ok}`
 * - `POST /rapport/admin/groups/:id/forms/:type` `{form: {id?, fields} | null}` → `{ok}`
 * - `POST /rapport/admin/limits` `{users_limit?, max_connections_per_customer?, max_chats_per_agent?, offline_chats?, response_delay_ms?}` → `{ok}`
 */
import { z } from 'zod'
import { AdminError, type ServerAdmin } from '../admin'
import type { FormConfig, GroupConfig } from '../options'
import { describeIssues } from '../rtm/schemas'
import { secretsEqual } from '../util/secrets'
import { isJsonContentType, parseJsonBody, readBody, sendJson } from './httpUtil'
import type { RouteContext, Router } from './router'

const reasonBody = z.object({ reason: z.string().min(1), data: z.record(z.string(), z.unknown()).optional() })

export interface AdminGateOptions {
  secret: string
  maxJsonDepth: number
  /** The server's own origins (`http://<listen address>`, and its loopback names on the same port). */
  ownOrigins(): ReadonlySet<string>
}

const refuse = (route: RouteContext, status: number, type: string, message: string, headers: Record<string, string> = {}): void => {
  route.req.resume()
  sendJson(route.res, status, { error: { type, message } }, headers)
}

/**
 * Checks a request to `/rapport/admin/*` before any route sees it (see the header
 * comment); answers and returns false when it is refused.
 */
export const adminGate = (route: RouteContext, options: AdminGateOptions): boolean => {
  const { req } = route
  const origin = req.headers.origin
  const site = req.headers['sec-fetch-site']
  if ((origin !== undefined && !options.ownOrigins().has(origin.toLowerCase())) || site === 'cross-site' || site === 'same-site') {
    refuse(route, 403, 'authorization', 'The admin API does not answer cross-origin requests')
    return false
  }
  const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (presented === undefined || !secretsEqual(presented, options.secret)) {
    refuse(route, 401, 'authentication', 'The admin API needs `Authorization: Bearer <admin secret>`', { 'WWW-Authenticate': 'Bearer' })
    return false
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && !isJsonContentType(req)) {
    refuse(route, 415, 'validation', 'The admin API takes `Content-Type: application/json` bodies only')
    return false
  }
  return true
}

/** A route with a JSON body: parsed (at most `maxJsonDepth` deep), checked against `schema`, handled. */
const bodyRoute =
  (maxJsonDepth: number) =>
  <S extends z.ZodType>(schema: S, handle: (body: z.output<S>, route: RouteContext) => unknown) =>
  async (route: RouteContext): Promise<void> => {
    const body = parseJsonBody(await readBody(route.req), maxJsonDepth)
    if (!body.ok) {
      sendJson(route.res, 400, { error: { type: 'validation', message: body.message } })
      return
    }
    const parsed = schema.safeParse(body.value)
    if (!parsed.success) {
      sendJson(route.res, 400, { error: { type: 'validation', message: describeIssues(parsed.error) } })
      return
    }
    try {
      sendJson(route.res, 200, handle(parsed.data, route))
    } catch (error) {
      if (!(error instanceof AdminError)) throw error
      sendJson(route.res, 404, { error: { type: 'not_found', message: error.message } })
    }
  }

const param = (route: RouteContext, name: string): string => route.params[name] ?? ''

const formField = z.looseObject({ id: z.string(), type: z.string(), label: z.string().optional(), required: z.boolean().optional() })
const formSchema = z.object({ id: z.string().optional(), fields: z.array(formField) })
const formTypeSchema = z.enum(['prechat', 'postchat', 'ticket'])
const nullableLimit = z.number().int().nonnegative().nullable().optional()

const groupSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.string().optional(),
  routing: z.enum(['auto', 'manual']).optional(),
  forms: z.object({ prechat: formSchema.nullable().optional(), postchat: formSchema.nullable().optional(), ticket: formSchema.nullable().optional() }).optional(),
  welcome_message: z.string().optional(),
  pages: z.array(z.string()).optional(),
})

/** Adds the admin routes to a router of their own (served behind `adminGate`). */
export const addAdminRoutes = (router: Router, admin: ServerAdmin, maxJsonDepth: number): void => {
  const withBody = bodyRoute(maxJsonDepth)
  router
    .on('GET', '/rapport/admin/health', ({ res }) => sendJson(res, 200, admin.health()))
    .on(
      'POST',
      '/rapport/admin/agent-token',
      withBody(z.object({ agent_id: z.string().min(1), organization_id: z.string().min(1) }), (body) =>
        admin.issueAgentToken(body.agent_id, body.organization_id),
      ),
    )
    .on(
      'POST',
      '/rapport/admin/customer-token',
      withBody(z.object({ organization_id: z.string().min(1), customer_id: z.string().optional() }), (body) =>
        admin.issueCustomerToken(body.organization_id, body.customer_id),
      ),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/disconnect',
      withBody(reasonBody, (body, route) => ({ ok: true, connections: admin.disconnectCustomer(param(route, 'id'), body.reason, body.data) })),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/drop',
      withBody(z.object({}), (_body, route) => ({ ok: true, connections: admin.dropCustomer(param(route, 'id')) })),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/stall',
      withBody(z.object({ stalled: z.boolean().optional() }), (body, route) => ({
        ok: true,
        connections: admin.stallCustomer(param(route, 'id'), body.stalled ?? true),
      })),
    )
    .on(
      'POST',
      '/rapport/admin/agents/:id/disconnect',
      withBody(reasonBody, (body, route) => ({ ok: true, connections: admin.disconnectAgent(param(route, 'id'), body.reason, body.data) })),
    )
    .on(
      'POST',
      '/rapport/admin/token-failure',
      withBody(
        z.object({
          status: z.number().int().min(400).max(599).optional(),
          body: z.union([
            z.object({ identity_exception: z.string() }),
            z.object({ oauth_exception: z.string(), exception_description: z.string().optional() }),
          ]).optional(),
        }),
        (body) => {
          admin.failTokenRequests(body.body === undefined ? undefined : { status: body.status ?? 400, body: body.body })
          return { ok: true }
        },
      ),
    )
    .on('GET', '/rapport/admin/customers/:id', ({ res, params, url }) => {
      const customer = admin.getCustomer(params.id ?? '', url.searchParams.get('organization_id') ?? undefined)
      if (customer) sendJson(res, 200, customer)
      else sendJson(res, 404, { error: { type: 'not_found', message: 'Customer not found' } })
    })
    .on(
      'POST',
      '/rapport/admin/customers/:id/greeting',
      withBody(
        z.object({
          organization_id: z.string().optional(),
          id: z.number().int().optional(),
          agent_id: z.string().optional(),
          text: z.string().optional(),
          rich_message: z.object({ template_id: z.string(), elements: z.array(z.record(z.string(), z.unknown())) }).optional(),
          subtype: z.string().optional(),
          is_exit_intent: z.boolean().optional(),
        }),
        (body, route) =>
          admin.sendGreeting(
            param(route, 'id'),
            {
              ...(body.id === undefined ? {} : { id: body.id }),
              ...(body.agent_id === undefined ? {} : { agentId: body.agent_id }),
              ...(body.text === undefined ? {} : { text: body.text }),
              ...(body.rich_message === undefined ? {} : { richMessage: body.rich_message }),
              ...(body.subtype === undefined ? {} : { subtype: body.subtype }),
              ...(body.is_exit_intent === undefined ? {} : { isExitIntent: body.is_exit_intent }),
            },
            body.organization_id,
          ),
      ),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/ban',
      withBody(z.object({ banned: z.boolean().optional(), organization_id: z.string().optional() }), (body, route) => ({
        ok: true,
        connections: admin.banCustomer(param(route, 'id'), body.banned ?? true, body.organization_id),
      })),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/expire-tokens',
      withBody(z.object({}), (_body, route) => ({ ok: true, ...admin.expireCustomerTokens(param(route, 'id')) })),
    )
    .on(
      'POST',
      '/rapport/admin/customers/:id/side-storage',
      withBody(z.object({ customer_side_storage: z.record(z.string(), z.string()), organization_id: z.string().optional() }), (body, route) => ({
        ok: true,
        connections: admin.setCustomerSideStorage(param(route, 'id'), body.customer_side_storage, body.organization_id),
      })),
    )
    .on(
      'POST',
      '/rapport/admin/organizations/:org/license',
      withBody(z.object({ expired: z.boolean() }), (body, route) => ({ ok: true, connections: admin.setLicenseExpired(param(route, 'org'), body.expired) })),
    )
    .on(
      'POST',
      '/rapport/admin/organizations/:org/region',
      withBody(z.object({ region: z.string().min(1).optional() }), (body, route) => ({ ok: true, connections: admin.setRegion(param(route, 'org'), body.region) })),
    )
    .on(
      'POST',
      '/rapport/admin/organizations/:org/event',
      withBody(
        z.object({ chat_id: z.string().min(1), thread_id: z.string().min(1), event_id: z.string().min(1), event: z.record(z.string(), z.unknown()) }),
        (body, route) => ({ event: admin.updateEvent(param(route, 'org'), body.chat_id, body.thread_id, body.event_id, body.event) }),
      ),
    )
    .on(
      'POST',
      '/rapport/admin/groups',
      withBody(groupSchema, (body) => {
        const { welcome_message: welcomeMessage, ...rest } = body
        admin.setGroup(stripUndefined({ ...rest, welcomeMessage }) as GroupConfig)
        return { ok: true }
      }),
    )
    .on(
      'POST',
      '/rapport/admin/groups/:id/forms/:type',
      withBody(z.object({ form: formSchema.nullable() }), (body, route) => {
        const type = formTypeSchema.safeParse(param(route, 'type'))
        const groupId = Number.parseInt(param(route, 'id'), 10)
        if (!type.success || Number.isNaN(groupId)) throw new AdminError('Unknown group or form type')
        admin.setForm(groupId, type.data, body.form === null ? null : (stripUndefined(body.form) as FormConfig))
        return { ok: true }
      }),
    )
    .on(
      'POST',
      '/rapport/admin/limits',
      withBody(
        z.object({
          users_limit: nullableLimit,
          max_connections_per_customer: nullableLimit,
          max_chats_per_agent: z.number().int().positive().optional(),
          offline_chats: z.boolean().optional(),
          response_delay_ms: z.number().int().nonnegative().max(60_000).optional(),
        }),
        (body) => {
          admin.setLimits(
            stripUndefined({
              usersLimit: body.users_limit,
              maxConnectionsPerCustomer: body.max_connections_per_customer,
              maxChatsPerAgent: body.max_chats_per_agent,
              offlineChats: body.offline_chats,
              responseDelayMs: body.response_delay_ms,
            }),
          )
          return { ok: true }
        },
      ),
    )
}

/** Drops `undefined` members (exact optional property types). */
const stripUndefined = <T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }
