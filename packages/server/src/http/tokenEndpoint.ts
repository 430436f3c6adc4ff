/**
 * The customer token endpoint (http.md §2.1, §2.4): `POST /v2/customer/token` and
 * `POST /v2/customer/:org/:group/token` (uniqueGroups: one identity per group).
 *
 * Identity: the `__lc_cid` (customer id) + `__lc_cst` (secret) cookies, HttpOnly,
 * SameSite=None, Path=/v2/customer; the per-group route uses the names suffixed with
 * `_g<group>`. A token is only ever issued for the identity whose secret the request
 * proves (both cookies), or for a new identity: there is no way to name a customer by id
 * (a request that tries, with `customer_id` or `X-Rapport-Customer-Id`, is refused with
 * `invalid_request`; tests get a given customer's token from the in-process
 * `server.admin.issueCustomerToken`).
 *
 * A browser request (it carries `Origin`) is answered only for a trusted origin
 * (`corsOrigins`): any other gets 403 `access_denied` before any identity is read or made.
 */
import { parse as parseCookies, serialize as serializeCookie } from 'cookie'
import type { WireTokenError, WireTokenResponse } from '@rapport/protocol'
import { z } from 'zod'
import type { ServerContext } from '../context'
import { ensureCustomer, isOrganizationAllowed } from '../domain/customers'
import type { CustomerRecord } from '../storage/storage'
import { describeIssues } from '../rtm/schemas'
import { secretsEqual } from '../util/secrets'
import { type JsonBody, parseJsonBody, readBody, sendJson } from './httpUtil'
import type { RouteContext } from './router'

const COOKIE_MAX_AGE_S = 63_072_000
const COOKIE_PATH = '/v2/customer'

const tokenRequestSchema = z.object({
  grant_type: z.string(),
  client_id: z.string().min(1),
  response_type: z.string(),
  organization_id: z.string().min(1),
  redirect_uri: z.string().optional(),
})

export interface TokenFailure {
  status: number
  body: WireTokenError
}

type Outcome = { ok: true; customer: CustomerRecord } | { ok: false; failure: TokenFailure }

const invalid = (description: string, exception = 'invalid_request'): Outcome => ({
  ok: false,
  failure: { status: 400, body: { oauth_exception: exception, exception_description: description } },
})

export class TokenEndpoint {
  /** A forced answer for every request (test hook), or `undefined`. */
  failure: TokenFailure | undefined

  constructor(private readonly ctx: ServerContext) {}

  /** Issues a token for a customer directly (tests, admin). */
  issue(organizationId: string, customerId?: string): WireTokenResponse {
    return this.ctx.storage.transaction(() => this.response(organizationId, ensureCustomer(this.ctx, organizationId, customerId)))
  }

  readonly handle = async ({ req, res, url, params }: RouteContext): Promise<void> => {
    const origin = req.headers.origin
    if (origin !== undefined && !this.ctx.options.corsOrigins.allows(origin)) {
      req.resume()
      sendJson(res, 403, { oauth_exception: 'access_denied', exception_description: 'Origin not allowed' } satisfies WireTokenError)
      return
    }
    const body = parseJsonBody(await readBody(req), this.ctx.options.maxJsonDepth)
    // One transaction: a customer it creates and the token land together, or neither.
    const answer = this.ctx.storage.transaction(() => this.answer(body, req.headers, url, params, req.socket.remoteAddress ?? ''))
    if (!answer.ok) {
      sendJson(res, answer.failure.status, answer.failure.body)
      return
    }
    const suffix = params.group === undefined ? '' : `_g${params.group}`
    const cookieOptions = { httpOnly: true, secure: true, sameSite: 'none' as const, path: COOKIE_PATH, maxAge: COOKIE_MAX_AGE_S }
    sendJson(res, 200, answer.token, {
      'Set-Cookie': [
        serializeCookie(`__lc_cid${suffix}`, answer.customer.id, cookieOptions),
        serializeCookie(`__lc_cst${suffix}`, answer.customer.identity_secret, cookieOptions),
      ],
    })
  }

  private answer(
    body: JsonBody,
    headers: RouteContext['req']['headers'],
    url: URL,
    params: Record<string, string>,
    address: string,
  ): { ok: true; customer: CustomerRecord; token: WireTokenResponse } | { ok: false; failure: TokenFailure } {
    const parsed = tokenRequestSchema.safeParse(body.ok ? body.value : undefined)
    const outcome: Outcome = this.failure
      ? { ok: false, failure: this.failure }
      : !body.ok
        ? invalid(body.message)
        : !parsed.success
          ? invalid(describeIssues(parsed.error))
          : this.resolve(parsed.data, headers, url, params, address)
    if (!outcome.ok) return outcome
    return { ...outcome, token: this.response(parsed.success ? parsed.data.organization_id : '', outcome.customer) }
  }

  private resolve(
    request: z.output<typeof tokenRequestSchema>,
    headers: RouteContext['req']['headers'],
    url: URL,
    params: Record<string, string>,
    address: string,
  ): Outcome {
    if (request.grant_type !== 'cookie') return invalid(`Unsupported grant_type ${request.grant_type}`, 'unsupported_grant_type')
    if (request.response_type !== 'token') return invalid('response_type must be "token"')
    if (this.ctx.options.clients && !this.ctx.options.clients.has(request.client_id)) return invalid('Unknown client_id', 'invalid_client')
    const organizationId = request.organization_id
    if (params.org !== undefined && params.org !== organizationId) return invalid('organization_id does not match the URL')
    if (params.group !== undefined && !/^\d+$/.test(params.group)) return invalid('group must be a non-negative integer')
    if (!isOrganizationAllowed(this.ctx, organizationId)) return invalid('Unknown organization')

    // An identity is proven by its secret, never named: a request naming one is refused.
    if (headers['x-rapport-customer-id'] !== undefined || url.searchParams.has('customer_id') || url.searchParams.has('entity_id')) {
      return invalid('A customer identity cannot be requested by id: send the identity cookies')
    }

    const suffix = params.group === undefined ? '' : `_g${params.group}`
    const cookies = parseCookies(headers.cookie ?? '')
    const cid = cookies[`__lc_cid${suffix}`]
    if (cid) {
      const known = this.ctx.storage.getCustomer(organizationId, cid)
      if (known) {
        if (!secretsEqual(cookies[`__lc_cst${suffix}`] ?? '', known.identity_secret)) {
          return { ok: false, failure: { status: 401, body: { identity_exception: 'unauthorized' } } }
        }
        return { ok: true, customer: known }
      }
    }
    // A new identity: at most `limits.customersPerAddress` per client address per window (limits.ts).
    if (!this.ctx.limiters.allowCustomerCreation(address)) {
      return { ok: false, failure: { status: 429, body: { oauth_exception: 'temporarily_unavailable', exception_description: 'Too many new customers from this address: try again later' } } }
    }
    return { ok: true, customer: ensureCustomer(this.ctx, organizationId) }
  }

  private response(organizationId: string, customer: CustomerRecord): WireTokenResponse {
    const token = this.ctx.tokens.issueCustomerToken(organizationId, customer.id)
    return {
      access_token: token.access_token,
      entity_id: customer.id,
      expires_in: this.ctx.tokens.customerLifetime,
      token_type: 'Bearer',
      organization_id: organizationId,
    }
  }
}
