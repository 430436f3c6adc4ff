import { LIMITS } from '@rapport/protocol'
import { STORED_JSON_DEPTH, type Storage } from './storage/storage'
import { LOOPBACK_ORIGINS, OriginList } from './util/origins'

export type AgentType = 'agent' | 'bot'

/** An agent or bot the server knows; agents log in with a token issued for their id. */
export interface AgentConfig {
  id: string
  name: string
  type: AgentType
  jobTitle?: string
  avatar?: string
  email?: string
  /** Groups the agent belongs to; every agent is implicitly in group 0 ("all agents"). */
  groups?: number[]
  /**
   * A fixed access token accepted at agent login, in the organization `tokenOrganizationId`
   * only (one without the other is refused when the server starts). Tokens issued by
   * `admin.issueAgentToken` are likewise valid in one organization.
   */
  token?: string
  tokenOrganizationId?: string
  /** Bots made by `create_bot`: the client that owns them (its `bot` webhooks hear their chats). */
  ownerClientId?: string
  /** A bot's secret: `issue_bot_token` with it issues the bot a 24 h token. */
  botSecret?: string
}

export type FormType = 'prechat' | 'postchat' | 'ticket'

/** A form field as `get_form` returns it (customer-rtm §5.6). */
export interface FormFieldConfig {
  id: string
  type: string
  label?: string
  required?: boolean
  options?: Array<Record<string, unknown>>
  [key: string]: unknown
}

export interface FormConfig {
  /** Defaults to `<type>_<group id>`. */
  id?: string
  fields: FormFieldConfig[]
}

/** A group of the organization (group 0 "all agents" always exists). */
export interface GroupConfig {
  id: number
  name?: string
  /** `manual`: chats are never auto-assigned; `request_welcome_message`/`get_predicted_agent` fail with `group_unavailable`. */
  routing?: 'auto' | 'manual'
  /** Forms by type; `null` disables a type. Group 0 has a default prechat form unless overridden. */
  forms?: Partial<Record<FormType, FormConfig | null>>
  /** Text of the welcome message (`request_welcome_message`). */
  welcomeMessage?: string
  /** URL prefixes: `update_customer_page` to a matching URL moves the customer into this group. */
  pages?: string[]
}

/**
 * An API key of the CRM endpoint (`GET /v1/customers/{id}`, the Kustomer "Get Customer by
 * ID" the SDK's CRM client speaks): valid in one organization, with the roles it carries.
 */
export interface CrmApiKeyConfig {
  /** The bearer key (at least 16 characters). */
  key: string
  organizationId: string
  /**
   * Roles of the key. Reading a customer needs `org.permission.customer.read` (or the legacy
   * `org.user.customer.read`); a key without either is answered 403. Default: the read role.
   */
  roles?: string[]
}

export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string, error?: unknown): void
}

export interface ServerOptions {
  port?: number
  host?: string
  storage?: Storage
  /** No inbound frame (or ws pong) for this long ends a connection; `0`/`false` disables. */
  idleTimeoutMs?: number | false
  /** A socket that has not logged in within this time is closed; `0`/`false` disables. */
  loginTimeoutMs?: number | false
  /** Interval of the server's ws control pings; defaults to a third of the idle timeout; `0`/`false` disables. */
  serverPingIntervalMs?: number | false
  agents?: AgentConfig[]
  /** Allow-list of organization ids; when absent every organization id is accepted (one tenant each). */
  organizations?: string[]
  /** Allow-list of `client_id`s at the token endpoint; when absent any client id is accepted. */
  clients?: string[]
  /** Unanswered requests per socket; one more fails with `pending_requests_limit_reached`. */
  pendingRequestsLimit?: number
  /**
   * Groups of every organization. Default: group 0 plus every group an agent names.
   * Group 0 is always present.
   */
  groups?: GroupConfig[]
  /**
   * Whether a chat may start/resume while every group of its access is offline (asynchronous
   * chats; it waits in the queue). Default `true`. With `false`, `start_chat`/`resume_chat`
   * fail with `groups_offline` unless the request says `continuous: true` (customer-rtm §10).
   */
  offlineChats?: boolean
  /** Concurrent chats an agent takes before its groups become `online_for_queue` (default 20). */
  maxChatsPerAgent?: number
  /** Concurrent customers per organization; a login over it fails with `users_limit_reached`. */
  usersLimit?: number
  /** Connections per customer; one more gets `customer_disconnected {reason: "too_many_connections"}`. */
  maxConnectionsPerCustomer?: number
  /**
   * Hosts `get_url_info` may fetch (`host` or `host:port`, exact match). Default: none, and
   * `get_url_info` answers `not_found` for every URL (the server is never an open proxy).
   */
  urlInfoAllowedHosts?: string[]
  /**
   * Namespaces a customer may write with the `*_properties` actions besides `rating`.
   * Default: any namespace (a development server); set it to enforce `authorization`.
   */
  customerPropertyNamespaces?: string[]
  /** Lifetime of customer access tokens, in seconds. */
  tokenLifetimeS?: number
  /**
   * Serves the admin HTTP API (`/rapport/admin/*`) to requests carrying
   * `Authorization: Bearer <adminSecret>` (at least 16 characters). Without it (the
   * default) the admin HTTP API does not exist; the in-process `server.admin` is always
   * available. `main.ts` reads it from `RAPPORT_ADMIN_SECRET`.
   */
  adminSecret?: string
  /**
   * Web origins allowed credentialed CORS (the cookie grant of the token endpoint, uploads):
   * exact origins or `scheme://host:*` for any port. Default: the loopback origins
   * (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`) for local development;
   * `[]` allows none. Any other `Origin` gets no CORS headers, and the token endpoint
   * refuses it. `main.ts` reads `RAPPORT_CORS_ORIGINS` (comma-separated).
   */
  corsOrigins?: string[]
  /**
   * Deepest nesting of objects and arrays in an RTM request payload or an HTTP JSON body
   * (the payload object itself is level 1); deeper ones are refused with `validation`
   * before anything reads or stores them. Default 32, at most `STORED_JSON_DEPTH` (64).
   */
  maxJsonDepth?: number
  /**
   * Keys of the CRM endpoint `GET /v1/customers/{id}`. Default `DEFAULT_CRM_API_KEYS` (one
   * demo key for the demo organization); `[]` turns the endpoint's access off (every request
   * 401). `main.ts` reads `RAPPORT_CRM_API_KEYS`.
   */
  crmApiKeys?: CrmApiKeyConfig[]
  /** Webhook delivery (`register_webhook`): attempts, backoff and the delivery log's size. */
  webhooks?: Partial<WebhookDeliveryOptions>
  /** Largest body of an agent Web API or Configuration API request; more is refused with 413. Default 1 MiB. */
  webApiMaxBodyBytes?: number
  logger?: Logger
}

/**
 * How webhooks are delivered: each `POST` waits at most `timeoutMs`; a failure (no answer,
 * a non-2xx status) is retried after `backoffMs`, doubling, up to `maxAttempts` in all.
 */
export interface WebhookDeliveryOptions {
  maxAttempts: number
  backoffMs: number
  timeoutMs: number
  /** Entries the delivery log keeps (the oldest go first). */
  logSize: number
}

export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliveryOptions = { maxAttempts: 4, backoffMs: 200, timeoutMs: 5_000, logSize: 500 }

export const DEFAULT_AGENTS: AgentConfig[] = [
  { id: 'bot@rapport.local', name: 'Rapport Bot', type: 'bot', jobTitle: 'Assistant' },
]

/** The role that lets a key read customers (the legacy role `org.user.customer.read` does too). */
export const CRM_CUSTOMER_READ_ROLE = 'org.permission.customer.read'

/** The local demo's CRM key: reads customers of the demo organization (`rapport-demo`). Public: a development server only. */
export const DEFAULT_CRM_API_KEYS: readonly CrmApiKeyConfig[] = Object.freeze([
  Object.freeze({ key: 'rapport-demo-crm-key', organizationId: 'rapport-demo', roles: [CRM_CUSTOMER_READ_ROLE] }),
])

const MIN_CRM_KEY_LENGTH = 16

export const DEFAULT_MAX_JSON_DEPTH = 32
const MIN_ADMIN_SECRET_LENGTH = 16

export interface ResolvedOptions {
  port: number
  host: string
  idleTimeoutMs: number
  loginTimeoutMs: number
  serverPingIntervalMs: number
  agents: AgentConfig[]
  organizations: ReadonlySet<string> | undefined
  clients: ReadonlySet<string> | undefined
  pendingRequestsLimit: number
  groups: GroupConfig[] | undefined
  offlineChats: boolean
  maxChatsPerAgent: number
  usersLimit: number | undefined
  maxConnectionsPerCustomer: number | undefined
  urlInfoAllowedHosts: ReadonlySet<string>
  customerPropertyNamespaces: ReadonlySet<string> | undefined
  tokenLifetimeS: number
  /** `undefined`: no admin HTTP API. */
  adminSecret: string | undefined
  corsOrigins: OriginList
  maxJsonDepth: number
  crmApiKeys: ReadonlyArray<Readonly<Required<CrmApiKeyConfig>>>
  webhooks: WebhookDeliveryOptions
  webApiMaxBodyBytes: number
  logger: Logger
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }

const duration = (value: number | false | undefined, fallback: number): number =>
  value === false ? 0 : Math.max(0, value ?? fallback)

const checkAgents = (agents: readonly AgentConfig[]): AgentConfig[] => {
  for (const agent of agents) {
    if ((agent.token === undefined) !== (agent.tokenOrganizationId === undefined)) {
      throw new Error(`agent ${agent.id}: a fixed \`token\` is valid in one organization: give both \`token\` and \`tokenOrganizationId\``)
    }
    if (agent.token !== undefined && agent.token.length < 8) throw new Error(`agent ${agent.id}: a fixed \`token\` needs at least 8 characters`)
  }
  return [...agents]
}

const checkAdminSecret = (secret: string | undefined): string | undefined => {
  if (secret !== undefined && secret.length < MIN_ADMIN_SECRET_LENGTH) {
    throw new Error(`adminSecret needs at least ${MIN_ADMIN_SECRET_LENGTH} characters`)
  }
  return secret
}

const checkJsonDepth = (depth: number | undefined): number => {
  const value = depth ?? DEFAULT_MAX_JSON_DEPTH
  if (!Number.isInteger(value) || value < 1 || value > STORED_JSON_DEPTH) throw new Error(`maxJsonDepth must be an integer from 1 to ${STORED_JSON_DEPTH}`)
  return value
}

const checkCrmKeys = (keys: readonly CrmApiKeyConfig[]): Array<Readonly<Required<CrmApiKeyConfig>>> =>
  keys.map((entry) => {
    if (entry.key.length < MIN_CRM_KEY_LENGTH) throw new Error(`a CRM API key needs at least ${MIN_CRM_KEY_LENGTH} characters`)
    if (entry.organizationId === '') throw new Error('a CRM API key is valid in one organization: give its organizationId')
    return Object.freeze({ key: entry.key, organizationId: entry.organizationId, roles: [...(entry.roles ?? [CRM_CUSTOMER_READ_ROLE])] })
  })

/** Resolves the defaults; throws on a configuration that would be unsafe or meaningless. */
export const resolveOptions = (options: ServerOptions): ResolvedOptions => {
  const idleTimeoutMs = duration(options.idleTimeoutMs, LIMITS.idleTimeoutMs)
  return {
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    idleTimeoutMs,
    loginTimeoutMs: duration(options.loginTimeoutMs, LIMITS.loginWindowMs),
    serverPingIntervalMs: duration(options.serverPingIntervalMs, idleTimeoutMs > 0 ? Math.floor(idleTimeoutMs / 3) : 10_000),
    agents: checkAgents(options.agents ?? DEFAULT_AGENTS),
    organizations: options.organizations ? new Set(options.organizations) : undefined,
    clients: options.clients ? new Set(options.clients) : undefined,
    pendingRequestsLimit: options.pendingRequestsLimit ?? LIMITS.pendingRequests,
    groups: options.groups,
    offlineChats: options.offlineChats ?? true,
    maxChatsPerAgent: options.maxChatsPerAgent ?? 20,
    usersLimit: options.usersLimit,
    maxConnectionsPerCustomer: options.maxConnectionsPerCustomer,
    urlInfoAllowedHosts: new Set((options.urlInfoAllowedHosts ?? []).map((h) => h.toLowerCase())),
    customerPropertyNamespaces: options.customerPropertyNamespaces ? new Set(options.customerPropertyNamespaces) : undefined,
    tokenLifetimeS: options.tokenLifetimeS ?? LIMITS.tokenLifetimeS,
    adminSecret: checkAdminSecret(options.adminSecret),
    corsOrigins: new OriginList(options.corsOrigins ?? LOOPBACK_ORIGINS),
    maxJsonDepth: checkJsonDepth(options.maxJsonDepth),
    crmApiKeys: checkCrmKeys(options.crmApiKeys ?? DEFAULT_CRM_API_KEYS),
    webhooks: { ...DEFAULT_WEBHOOK_DELIVERY, ...options.webhooks },
    webApiMaxBodyBytes: options.webApiMaxBodyBytes ?? 1024 * 1024,
    logger: options.logger ?? silentLogger,
  }
}
