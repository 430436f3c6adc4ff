export { createServer, type RapportServer } from './server'
export { startServer, type StartServerOptions, type StorageSpec } from './startServer'
export type { AgentConfig, AgentType, CrmApiKeyConfig, FormConfig, FormFieldConfig, FormType, GroupConfig, Logger, ServerOptions } from './options'
export { CRM_CUSTOMER_READ_ROLE, DEFAULT_AGENTS, DEFAULT_CRM_API_KEYS } from './options'
export type { CrmCustomerView } from './domain/crm'
export type { AgentTokenResponse, HealthStatus, PlatformLimits, ServerAdmin } from './admin'
export type { GreetingInput } from './domain/greetings'
export type { TokenFailure } from './http/tokenEndpoint'
export type {
  ChatRecord,
  ChatUserRecord,
  CustomerRecord,
  CustomerStatisticsRecord,
  CustomerVisitRecord,
  EventRecord,
  FileRecord,
  GreetingRecord,
  OrganizationRecord,
  Storage,
  StorageCounts,
  StoredEventMatch,
  ThreadRecord,
  TokenRecord,
  Visibility,
} from './storage/storage'
export { MemoryStorage } from './storage/memoryStorage'
export { SqliteStorage, SCHEMA_VERSION, type SqliteStorageOptions } from './storage/sqliteStorage'
export { storageFromEnv, DEFAULT_DB_PATH, type StorageChoice } from './storage/fromEnv'
export {
  DEFAULT_FIELD_LIMITS,
  DEFAULT_LIMITS,
  resolveLimits,
  type FieldLimits,
  type ServerLimits,
  type ServerLimitsInput,
} from './limits'
export type { SweepReport } from './limitsRuntime'
export type { TrafficStats } from './rtm/connection'
export type { WebhookDeliveryOptions } from './options'
export { isLoopbackUrl, type WebhookDelivery } from './webApi/webhooks'
