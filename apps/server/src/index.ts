export { createServer, type RapportServer } from './server'
export type { AgentConfig, AgentType, FormConfig, FormFieldConfig, FormType, GroupConfig, Logger, ServerOptions } from './options'
export { DEFAULT_AGENTS } from './options'
export type { AgentTokenResponse, HealthStatus, PlatformLimits, ServerAdmin } from './admin'
export type { GreetingInput } from './domain/greetings'
export type { TokenFailure } from './http/tokenEndpoint'
export type {
  ChatRecord,
  ChatUserRecord,
  CustomerRecord,
  CustomerStatisticsRecord,
  EventRecord,
  FileRecord,
  GreetingRecord,
  OrganizationRecord,
  Storage,
  StorageCounts,
  ThreadRecord,
  TokenRecord,
  Visibility,
} from './storage/storage'
export { MemoryStorage } from './storage/memoryStorage'
