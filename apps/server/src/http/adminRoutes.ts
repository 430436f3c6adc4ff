/**
 * The HTTP face of `ServerAdmin` (development only), JSON in and out:
 *
 * - `GET  /rapport/admin/health` → `{ok, connections, customers, chats}`
 * - `POST /rapport/admin/agent-token` `{agent_id, organization_id?}` → `{access_token, token_type}`
 * - `POST /rapport/admin/customer-token` `{organization_id, customer_id?}` → token response
 * - `POST /rapport/admin/customers/:id/disconnect` `{reason, data?}` → `{ok, connections}`
 * - `POST /rapport/admin/customers/:id/drop` → `{ok, connections}`
 * - `POST /rapport/admin/customers/:id/stall` `{stalled?: boolean}` → `{ok, connections}`
 * - `POST /rapport/admin/agents/:id/disconnect` `{reason, data?}` → `{ok, connections}`
 * - `POST /rapport/admin/token-failure` `{status, body}` or `{}` (clear) → `{ok}`
 */
import { z } from 'zod'
import { AdminError, type ServerAdmin } from '../admin'
import { describeIssues } from '../rtm/schemas'
import { parseJsonBody, readBody, sendJson } from './httpUtil'
import type { RouteContext, Router } from './router'

const reasonBody = z.object({ reason: z.string().min(1), data: z.record(z.string(), z.unknown()).optional() })

const withBody =
  <S extends z.ZodType>(schema: S, handle: (body: z.output<S>, route: RouteContext) => unknown) =>
  async (route: RouteContext): Promise<void> => {
    const parsed = schema.safeParse(parseJsonBody(await readBody(route.req)))
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

export const addAdminRoutes = (router: Router, admin: ServerAdmin): void => {
  router
    .on('GET', '/rapport/admin/health', ({ res }) => sendJson(res, 200, admin.health()))
    .on(
      'POST',
      '/rapport/admin/agent-token',
      withBody(z.object({ agent_id: z.string().min(1), organization_id: z.string().optional() }), (body) =>
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
}
