import { type RapportServer, createServer } from './server'
import type { ServerOptions } from './options'
import { MemoryStorage } from './storage/memoryStorage'
import { SqliteStorage } from './storage/sqliteStorage'
import type { Storage } from './storage/storage'

/**
 * Where a started server keeps its data:
 * - `'memory'` (the default): process memory, gone when the server closes;
 * - `{ sqlite: path }`: a SQLite file (its folder is created; `':memory:'` for an in-memory database);
 * - a `Storage` instance: used as is and left open by `close()` (e.g. to keep it across restarts).
 */
export type StorageSpec = 'memory' | { sqlite: string } | Storage

export interface StartServerOptions extends Omit<ServerOptions, 'port' | 'storage'> {
  /** Port to listen on; `0` (the default) picks a free one (read it from `url` or `port`). */
  port?: number
  /** Where the server keeps its data; `'memory'` by default. */
  storage?: StorageSpec
}

const isStorage = (spec: StorageSpec): spec is Storage => typeof spec === 'object' && !('sqlite' in spec)

/**
 * Starts the local server (Customer and Agent Chat APIs, Web API, webhooks, CRM endpoint)
 * for development and tests, on `127.0.0.1` and a free port unless told otherwise.
 * `close()` drops every socket, stops listening and closes the store it opened (a `Storage`
 * instance passed in stays open).
 *
 * ```ts
 * const server = await startServer({ storage: 'memory' })
 * const customerSDK = init({ organizationId: 'my-org', clientId: 'my-app', serverUrl: server.url })
 * // …
 * await server.close()
 * ```
 */
export const startServer = async (options: StartServerOptions = {}): Promise<RapportServer> => {
  const spec = options.storage ?? 'memory'
  if (isStorage(spec)) return createServer({ ...options, port: options.port ?? 0, storage: spec })
  const storage: Storage = spec === 'memory' ? new MemoryStorage() : new SqliteStorage(spec.sqlite)
  let server: RapportServer
  try {
    server = await createServer({ ...options, port: options.port ?? 0, storage })
  } catch (error) {
    storage.close()
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    ...server,
    close() {
      closing ??= server.close().then(() => storage.close())
      return closing
    },
  }
}
