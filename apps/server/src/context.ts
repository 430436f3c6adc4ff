import type { AgentDirectory } from './domain/agentDirectory'
import type { GroupDirectory } from './domain/groups'
import type { PlatformState } from './domain/platform'
import type { ResolvedOptions } from './options'
import type { ConnectionRegistry } from './rtm/connectionRegistry'
import type { Storage } from './storage/storage'
import type { TokenService } from './domain/tokenService'
import type { Clock } from './util/clock'

/** Everything a handler may use; built once per server in `createServer`. */
export interface ServerContext {
  readonly options: ResolvedOptions
  readonly storage: Storage
  readonly clock: Clock
  readonly agents: AgentDirectory
  readonly tokens: TokenService
  readonly registry: ConnectionRegistry
  readonly groups: GroupDirectory
  readonly platform: PlatformState
}
