export { createServer, type RapportServer } from './server'
export type { AgentConfig, AgentType, Logger, ServerOptions } from './options'
export { DEFAULT_AGENTS } from './options'
export type { AgentTokenResponse, HealthStatus, ServerAdmin } from './admin'
export type { TokenFailure } from './http/tokenEndpoint'
export type {
  ChatRecord,
  ChatUserRecord,
  CustomerRecord,
  CustomerStatisticsRecord,
  EventRecord,
  Storage,
  StorageCounts,
  ThreadRecord,
  TokenRecord,
  Visibility,
} from './storage/storage'
export { MemoryStorage } from './storage/memoryStorage'
