import type { ServerLimits } from '../limits'
import type { ResolvedOptions } from '../options'
import type { Storage } from '../storage/storage'
import type { Clock } from '../util/clock'
import type { PageIds } from '../util/paging'
import type { AgentDirectory } from './agentDirectory'
import type { GroupDirectory } from './groupDirectory'
import type { PlatformState } from './platform'
import type { Presence, Publisher } from './ports'
import type { TokenService } from './tokenService'

/**
 * What the domain works with: its own state, the storage, and the ports other layers
 * implement (`ports.ts`). The server's context (`../context.ts`) extends it.
 */
export interface DomainContext {
  readonly options: ResolvedOptions
  /** Abuse limits (`../limits.ts`). */
  readonly limits: ServerLimits
  /** Signs and checks `page_id` cursors. */
  readonly pageIds: PageIds
  readonly storage: Storage
  readonly clock: Clock
  readonly agents: AgentDirectory
  readonly tokens: TokenService
  readonly groups: GroupDirectory
  readonly platform: PlatformState
  readonly publisher: Publisher
  readonly presence: Presence
}
