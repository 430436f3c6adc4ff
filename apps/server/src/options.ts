import { LIMITS } from '@rapport/protocol'
import type { Storage } from './storage/storage'

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
  /** A fixed access token accepted at agent login (in every organization). */
  token?: string
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
  /** Serve `/rapport/admin/*` over HTTP (the in-process `admin` is always available). */
  adminHttp?: boolean
  logger?: Logger
}

export const DEFAULT_AGENTS: AgentConfig[] = [
  { id: 'bot@rapport.local', name: 'Rapport Bot', type: 'bot', jobTitle: 'Assistant', token: 'rapport-bot-token' },
]

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
  adminHttp: boolean
  logger: Logger
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }

const duration = (value: number | false | undefined, fallback: number): number =>
  value === false ? 0 : Math.max(0, value ?? fallback)

export const resolveOptions = (options: ServerOptions): ResolvedOptions => {
  const idleTimeoutMs = duration(options.idleTimeoutMs, LIMITS.idleTimeoutMs)
  return {
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    idleTimeoutMs,
    loginTimeoutMs: duration(options.loginTimeoutMs, LIMITS.loginWindowMs),
    serverPingIntervalMs: duration(options.serverPingIntervalMs, idleTimeoutMs > 0 ? Math.floor(idleTimeoutMs / 3) : 10_000),
    agents: options.agents ?? DEFAULT_AGENTS,
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
    adminHttp: options.adminHttp ?? true,
    logger: options.logger ?? silentLogger,
  }
}
