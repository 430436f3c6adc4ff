/**
 * Where things live (customer-rtm §2.1, http.md §1). The real platform's hosts are the
 * default; a `serverUrl` (e.g. `http://localhost:8080`, the local server) replaces both
 * the API and the accounts origin.
 */
import { API_VERSION, isObject } from './frames'

export type Region = 'dal' | 'fra'

export interface EndpointOptions {
  organizationId: string
  region?: Region | string
  /** `production` (default), `labs`, `staging`, … */
  env?: string
  /** One origin for the chat API and the token endpoint, instead of the platform's hosts. */
  serverUrl?: string
}

export interface Endpoints {
  /** `https://…` origin of the chat API (RTM and Web API). */
  api: string
  /** `https://…` origin of the customer accounts service. */
  accounts: string
}

const LIVECHAT_OWN_ORGANIZATION = 'feaf6c0e-9f43-48ff-9ad0-8e24e0350932'

const trimSlash = (url: string): string => url.replace(/\/+$/, '')

export const resolveEndpoints = ({ organizationId, region, env = 'production', serverUrl }: EndpointOptions): Endpoints => {
  if (serverUrl) {
    const origin = trimSlash(serverUrl)
    return { api: origin, accounts: origin }
  }
  const effectiveEnv = organizationId === LIVECHAT_OWN_ORGANIZATION ? 'staging' : env
  const envPart = effectiveEnv === 'production' ? '' : `.${effectiveEnv}`
  const regionPart = region ? `-${region}` : ''
  return {
    api: `https://api${regionPart}${envPart}.livechatinc.com`,
    accounts: `https://accounts${envPart}.livechatinc.com`,
  }
}

const toWs = (origin: string): string => origin.replace(/^http(s?):/, 'ws$1:')

export const customerRtmUrl = (endpoints: Endpoints, organizationId: string, version = API_VERSION): string =>
  `${toWs(endpoints.api)}/v${version}/customer/rtm/ws?organization_id=${encodeURIComponent(organizationId)}`

export const agentRtmUrl = (endpoints: Endpoints, organizationId: string, version = API_VERSION): string =>
  `${toWs(endpoints.api)}/v${version}/agent/rtm/ws?organization_id=${encodeURIComponent(organizationId)}`

export const customerActionUrl = (endpoints: Endpoints, action: string, organizationId: string, version = API_VERSION): string =>
  `${endpoints.api}/v${version}/customer/action/${action}?organization_id=${encodeURIComponent(organizationId)}`

export const customerTokenUrl = (
  endpoints: Endpoints,
  options: { organizationId: string; uniqueGroups?: boolean; groupId?: number },
): string =>
  options.uniqueGroups
    ? `${endpoints.accounts}/v2/customer/${encodeURIComponent(options.organizationId)}/${options.groupId ?? 0}/token`
    : `${endpoints.accounts}/v2/customer/token`

/** Body of the cookie-grant token request (http.md §2.1). */
export interface WireTokenRequest {
  grant_type: 'cookie'
  response_type: 'token'
  client_id: string
  organization_id: string
  redirect_uri?: string
}

export interface WireTokenResponse {
  access_token: string
  entity_id: string
  expires_in: number
  token_type: string
  organization_id: string
}

export type WireTokenError = { identity_exception: string } | { oauth_exception: string; exception_description?: string }

/** The token endpoint's success body, checked field by field; `null` when it is not one. */
export const readTokenResponse = (body: unknown): WireTokenResponse | null => {
  if (!isObject(body)) return null
  const { access_token, entity_id, expires_in, token_type, organization_id } = body
  if (typeof access_token !== 'string' || typeof entity_id !== 'string' || typeof expires_in !== 'number' || typeof token_type !== 'string') return null
  return { access_token, entity_id, expires_in, token_type, organization_id: typeof organization_id === 'string' ? organization_id : '' }
}
