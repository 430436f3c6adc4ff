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
  /** Unanswered requests per socket (reserved for asynchronous handlers). */
  pendingRequestsLimit?: number
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
    tokenLifetimeS: options.tokenLifetimeS ?? LIMITS.tokenLifetimeS,
    adminHttp: options.adminHttp ?? true,
    logger: options.logger ?? silentLogger,
  }
}
