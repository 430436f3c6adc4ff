/**
 * `GET /v1/customers/{id}`: the CRM's "Get Customer by ID" (Kustomer, bots-and-crm.md §4)
 * over the server's own customers (`domain/crm.ts`), so that the CRM client, the demo and
 * the tests run locally.
 *
 * - Auth: `Authorization: Bearer <key>`, a key of `crmApiKeys` (valid in one organization).
 *   No key or an unknown one: 401; a key without `org.permission.customer.read` (or the
 *   legacy `org.user.customer.read`): 403.
 * - Rate limit: a fixed window per key (`limits.crmRequestsPerWindow` per
 *   `limits.crmWindowMs`); every answer to a known key carries `x-ratelimit-limit`,
 *   `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch seconds at which the window
 *   ends); over the limit: 429 until then.
 * - Errors come in the API's two shapes: `{errors: [{code, message, meta}]}` for 401, 403
 *   and 429, JSON:API `{errors: [{status, code, title, detail, source, meta}]}` for 400, 404
 *   and 5xx (clients must take both).
 * - `failure` is a test hook (`server.admin.failCrmRequests`): the next requests of a known
 *   key are answered with that status.
 */
import type { ServerResponse } from 'node:http'
import { z } from 'zod'
import type { ServerContext } from '../context'
import { crmCustomerView, crmKeyAccess, findCrmCustomer } from '../domain/crm'
import { fieldLimit, withFieldLimits } from '../limits'
import { describeIssues } from '../rtm/schemas'
import { sendJson } from './httpUtil'
import type { RouteContext } from './router'

/** A forced answer for the next `remaining` requests (test hook). */
export interface CrmFailure {
  status: number
  remaining: number
}

const idSchema = z.string().min(1).refine((id) => id.length <= fieldLimit('id'), { message: 'Too long' })

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  404: 'not_found',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
}

type Headers = Record<string, string>

/** `{errors: [{code, message, meta}]}` */
const sendPlainError = (res: ServerResponse, status: number, code: string, message: string, headers: Headers, meta: Record<string, unknown> = {}): void =>
  sendJson(res, status, { errors: [{ code, message, meta }] }, headers)

/** JSON:API `{errors: [{status, code, title, detail, source?, meta}]}` */
const sendJsonApiError = (res: ServerResponse, status: number, detail: string, headers: Headers, source?: { parameter: string }): void =>
  sendJson(
    res,
    status,
    {
      errors: [
        {
          status: String(status),
          code: STATUS_CODES[status] ?? `http_${status}`,
          title: STATUS_TITLES[status] ?? `HTTP ${status}`,
          detail,
          ...(source ? { source } : {}),
          meta: {},
        },
      ],
    },
    headers,
  )

const bearerOf = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

export class CrmEndpoint {
  failure: CrmFailure | undefined

  constructor(private readonly ctx: ServerContext) {}

  readonly handle = ({ req, res, params }: RouteContext): void => {
    req.resume()
    const access = crmKeyAccess(this.ctx, bearerOf(req.headers.authorization))
    if (access.kind === 'unknown') {
      res.setHeader('WWW-Authenticate', 'Bearer')
      sendPlainError(res, 401, 'unauthorized', 'A valid API key is required', {})
      return
    }
    const count = this.ctx.limiters.crm.take(access.key.key)
    const headers: Headers = count
      ? {
          'x-ratelimit-limit': String(count.limit),
          'x-ratelimit-remaining': String(count.remaining),
          'x-ratelimit-reset': String(Math.ceil(count.resetAtMs / 1000)),
        }
      : {}
    if (count && !count.allowed) {
      sendPlainError(res, 429, 'too_many_requests', 'Rate limit exceeded: wait until x-ratelimit-reset', headers, {
        limit: count.limit,
        reset: Math.ceil(count.resetAtMs / 1000),
      })
      return
    }
    if (access.kind === 'forbidden') {
      sendPlainError(res, 403, 'forbidden', 'The API key lacks the permission org.permission.customer.read', headers)
      return
    }
    const failure = this.failure
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1
      if (failure.remaining === 0) this.failure = undefined
      sendJsonApiError(res, failure.status, 'Injected failure', headers)
      return
    }
    const id = withFieldLimits(this.ctx.limits.fields, () => idSchema.safeParse(params.id))
    if (!id.success) {
      sendJsonApiError(res, 400, describeIssues(id.error), headers, { parameter: 'id' })
      return
    }
    const organizationId = access.key.organizationId
    const customer = findCrmCustomer(this.ctx, organizationId, id.data)
    if (!customer) {
      sendJsonApiError(res, 404, `No customer ${id.data}`, headers, { parameter: 'id' })
      return
    }
    sendJson(res, 200, { data: crmCustomerView(this.ctx, customer) }, headers)
  }
}
