/**
 * The HTTP side of the agent API for bots (bots-and-crm.md §1–2, http.md §7): the Agent
 * Chat Web API (`POST /v3.6/agent/action/<action>`, the RTM payloads of `AgentActionMap`
 * as bodies), the Configuration API actions a bot needs, the webhook envelope, the status
 * each documented error type is answered with, and the agent-side Customer record
 * (seed `000_…`) that `get_customer` returns.
 */
import type { WireAgentPushMap } from './agentEvents'
import type { WireError, WireErrorType } from './errors'
import type * as S from './sdk'
import type * as W from './wire'
import { parseAddress, parseSessionFields, parseStatistics } from './parse'

// ---------------------------------------------------------------- paths and errors

export const WEB_API_VERSION = '3.6'

/** `/v3.6/agent/action/<action>` */
export const agentActionPath = (action: string): string => `/v${WEB_API_VERSION}/agent/action/${encodeURIComponent(action)}`

/** `/v3.6/configuration/action/<action>` */
export const configurationActionPath = (action: string): string =>
  `/v${WEB_API_VERSION}/configuration/action/${encodeURIComponent(action)}`

/** The body of every Web API error. */
export interface WireWebApiError {
  error: WireError
}

/**
 * The HTTP status of each error type (the RTM error table answered over HTTP). Types not
 * listed are 400 (a refused request) — `webApiStatus` reads this table.
 */
export const WEB_API_ERROR_STATUS: Partial<Record<WireErrorType, number>> = {
  authentication: 401,
  authorization: 403,
  missing_access: 403,
  requester_suspended: 403,
  requester_awaiting_approval: 403,
  license_expired: 402,
  not_found: 404,
  group_not_found: 404,
  license_not_found: 404,
  misdirected_request: 421,
  entity_too_large: 413,
  chat_inactive: 422,
  agent_offline: 422,
  too_many_requests: 429,
  pending_requests_limit_reached: 429,
  internal: 500,
  service_unavailable: 503,
  request_timeout: 504,
}

export const webApiStatus = (type: WireErrorType): number => WEB_API_ERROR_STATUS[type] ?? 400

// ---------------------------------------------------------------- configuration API

export type WireBotGroupPriority = 'first' | 'normal' | 'last' | 'supervisor'

export interface WireCreateBotRequest {
  name: string
  avatar?: string
  /** Default 6, at most 500. */
  max_chats_count?: number
  groups?: Array<{ id: number; priority: WireBotGroupPriority }>
  owner_client_id?: string
  job_title?: string
}

export interface WireIssueBotTokenRequest {
  bot_id: string
  client_id: string
  bot_secret: string
  organization_id: string
}

export type WireWebhookType = 'bot' | 'license'

export interface WireWebhookFilters {
  author_type?: 'customer' | 'agent'
  only_my_chats?: boolean
  chat_presence?: { user_ids?: { values?: string[]; exclude_values?: string[] }; my_bots?: boolean }
  source_type?: string[]
}

export interface WireRegisterWebhookRequest {
  /** The push name the webhook hears (`incoming_event`, `incoming_chat`, …). */
  action: WebhookAction
  secret_key: string
  url: string
  type: WireWebhookType
  owner_client_id: string
  description?: string
  filters?: WireWebhookFilters
  additional_data?: Array<'chat_properties' | 'chat_presence_user_ids'>
}

export interface WireWebhook extends WireRegisterWebhookRequest {
  id: string
}

/** The Configuration API actions a bot needs, typed like `AgentActionMap`. */
export interface ConfigurationActionMap {
  create_bot: { request: WireCreateBotRequest; response: { id: string; secret: string } }
  /** The token lasts 24 h and cannot be revoked. */
  issue_bot_token: { request: WireIssueBotTokenRequest; response: { token: string } }
  register_webhook: { request: WireRegisterWebhookRequest; response: { id: string } }
  list_webhooks: { request: { owner_client_id: string }; response: WireWebhook[] }
  unregister_webhook: { request: { id: string; owner_client_id: string }; response: W.WireEmpty }
}

export type ConfigurationAction = keyof ConfigurationActionMap

/** Lifetime of a bot token (bots-and-crm §1): 24 h. */
export const BOT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000

// ---------------------------------------------------------------- webhooks

/** The pushes a webhook can be registered for: every agent push but the connection-level one. */
export type WebhookAction = Exclude<keyof WireAgentPushMap, 'agent_disconnected'>

export interface WireWebhookAdditionalData {
  chat_properties?: W.Properties
  chat_presence_user_ids?: string[]
}

/** What the platform `POST`s to a webhook's URL: the push's name and payload, with the webhook's secret. */
export type WireWebhookBody = {
  [A in WebhookAction]: {
    webhook_id: string
    secret_key: string
    action: A
    organization_id: string
    payload: WireAgentPushMap[A]
    additional_data?: WireWebhookAdditionalData
  }
}[WebhookAction]

// ---------------------------------------------------------------- the agent-side Customer record

export interface WireGeolocation {
  country?: string
  country_code?: string
  region?: string
  city?: string
  timezone?: string
  latitude?: string
  longitude?: string
}

export interface WireVisitPage {
  opened_at: string
  url: string
  title?: string
}

/** A customer's visit (3.6 `visit`, formerly `last_visit`). */
export interface WireVisit {
  id?: number
  started_at?: string
  ended_at?: string
  referrer?: string
  ip?: string
  user_agent?: string
  geolocation?: WireGeolocation
  last_pages?: WireVisitPage[]
}

/** The agent side's statistics: the customer side's figures, and more. */
export interface WireAgentCustomerStatistics extends W.WireCustomerStatistics {
  greetings_converted_count?: number
  tickets_count?: number
  orders_count?: number
  last_visit_started_at?: string
}

/** The Customer record `get_customer` answers an agent with (seed `000_…`). */
export interface WireAgentCustomer {
  id: string
  type: 'customer'
  name?: string
  email?: string
  email_verified?: boolean
  avatar?: string
  phone_number?: string
  address?: W.WireAddress
  session_fields?: W.WireSessionFields
  present?: boolean
  events_seen_up_to?: string
  statistics?: WireAgentCustomerStatistics
  /** 3.6 name of the last visit. */
  visit?: WireVisit
  /** Before 3.6. */
  last_visit?: WireVisit
  agent_last_event_created_at?: string
  customer_last_event_created_at?: string
  created_at?: string
  followed?: boolean
  online?: boolean
  group_ids?: number[]
  state?: string
  __priv_lc2_customer_id?: string
}

export interface Geolocation {
  country?: string
  countryCode?: string
  region?: string
  city?: string
  timezone?: string
  latitude?: string
  longitude?: string
}

export interface VisitPage {
  openedAt: string
  url: string
  title?: string
}

export interface Visit {
  id?: number
  startedAt?: string
  endedAt?: string
  referrer?: string
  ip?: string
  userAgent?: string
  geolocation?: Geolocation
  lastPages: VisitPage[]
}

export interface AgentCustomerStatistics extends S.CustomerStatistics {
  greetingsConvertedCount?: number
  ticketsCount?: number
  ordersCount?: number
  lastVisitStartedAt?: string
}

/** The agent-side Customer record, parsed: camelCase, `sessionFields` as a record, the visit under one name. */
export interface AgentCustomer {
  id: string
  type: 'customer'
  name?: string
  email?: string
  emailVerified?: boolean
  avatar?: string
  phoneNumber?: string
  address?: S.Address
  sessionFields: S.SessionFields
  present?: boolean
  eventsSeenUpTo?: string
  statistics: AgentCustomerStatistics
  visit?: Visit
  agentLastEventCreatedAt?: string
  customerLastEventCreatedAt?: string
  createdAt?: string
  followed?: boolean
  online?: boolean
  groupIds: number[]
  state?: string
  /** `__priv_lc2_customer_id`: the customer's id in the older LiveChat 2 API. */
  lc2CustomerId?: string
}

const parseGeolocation = (g: WireGeolocation): Geolocation => ({
  ...(g.country !== undefined && { country: g.country }),
  ...(g.country_code !== undefined && { countryCode: g.country_code }),
  ...(g.region !== undefined && { region: g.region }),
  ...(g.city !== undefined && { city: g.city }),
  ...(g.timezone !== undefined && { timezone: g.timezone }),
  ...(g.latitude !== undefined && { latitude: g.latitude }),
  ...(g.longitude !== undefined && { longitude: g.longitude }),
})

export const parseVisit = (v: WireVisit): Visit => ({
  ...(v.id !== undefined && { id: v.id }),
  ...(v.started_at !== undefined && { startedAt: v.started_at }),
  ...(v.ended_at !== undefined && { endedAt: v.ended_at }),
  ...(v.referrer !== undefined && { referrer: v.referrer }),
  ...(v.ip !== undefined && { ip: v.ip }),
  ...(v.user_agent !== undefined && { userAgent: v.user_agent }),
  ...(v.geolocation !== undefined && { geolocation: parseGeolocation(v.geolocation) }),
  lastPages: (v.last_pages ?? []).map((p) => ({ openedAt: p.opened_at, url: p.url, ...(p.title !== undefined && { title: p.title }) })),
})

export const parseAgentCustomerStatistics = (s: WireAgentCustomerStatistics | undefined): AgentCustomerStatistics => ({
  // the counts both sides have, parsed once (parse.ts); then the agent side's own
  ...parseStatistics(s),
  ...(s?.greetings_converted_count !== undefined && { greetingsConvertedCount: s.greetings_converted_count }),
  ...(s?.tickets_count !== undefined && { ticketsCount: s.tickets_count }),
  ...(s?.orders_count !== undefined && { ordersCount: s.orders_count }),
  ...(s?.last_visit_started_at !== undefined && { lastVisitStartedAt: s.last_visit_started_at }),
})

/** The agent `get_customer` response (seed `000_…`) as an `AgentCustomer`. */
export const parseAgentCustomer = (c: WireAgentCustomer): AgentCustomer => {
  const visit = c.visit ?? c.last_visit
  return {
    id: c.id,
    type: 'customer',
    ...(c.name !== undefined && { name: c.name }),
    ...(c.email !== undefined && { email: c.email }),
    ...(c.email_verified !== undefined && { emailVerified: c.email_verified }),
    ...(c.avatar !== undefined && { avatar: c.avatar }),
    ...(c.phone_number !== undefined && { phoneNumber: c.phone_number }),
    ...(c.address !== undefined && { address: parseAddress(c.address) }),
    sessionFields: parseSessionFields(c.session_fields),
    ...(c.present !== undefined && { present: c.present }),
    ...(c.events_seen_up_to !== undefined && { eventsSeenUpTo: c.events_seen_up_to }),
    statistics: parseAgentCustomerStatistics(c.statistics),
    ...(visit !== undefined && { visit: parseVisit(visit) }),
    ...(c.agent_last_event_created_at !== undefined && { agentLastEventCreatedAt: c.agent_last_event_created_at }),
    ...(c.customer_last_event_created_at !== undefined && { customerLastEventCreatedAt: c.customer_last_event_created_at }),
    ...(c.created_at !== undefined && { createdAt: c.created_at }),
    ...(c.followed !== undefined && { followed: c.followed }),
    ...(c.online !== undefined && { online: c.online }),
    groupIds: c.group_ids ?? [],
    ...(c.state !== undefined && { state: c.state }),
    ...(c.__priv_lc2_customer_id !== undefined && { lc2CustomerId: c.__priv_lc2_customer_id }),
  }
}
