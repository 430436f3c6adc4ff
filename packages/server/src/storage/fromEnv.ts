import { resolve } from 'node:path'
import { MemoryStorage } from './memoryStorage'
import { SqliteStorage } from './sqliteStorage'
import type { Storage } from './storage'

/** `.data/rapport.sqlite`, under the current directory when the store is chosen. */
export const DEFAULT_DB_PATH = '.data/rapport.sqlite'

export interface StorageChoice {
  storage: Storage
  /** What was chosen, for the start-up log line. */
  description: string
}

/**
 * The store `main.ts` uses: `RAPPORT_STORAGE=memory|sqlite` (default `sqlite`) and
 * `RAPPORT_DB` (default `.data/rapport.sqlite` in the current directory; its folder is created).
 */
export const storageFromEnv = (env: Record<string, string | undefined> = process.env, log?: (message: string) => void): StorageChoice => {
  const kind = (env.RAPPORT_STORAGE ?? 'sqlite').trim().toLowerCase()
  if (kind === 'memory') return { storage: new MemoryStorage(), description: 'in-memory storage (nothing survives a restart)' }
  if (kind !== 'sqlite' && kind !== '') throw new Error(`RAPPORT_STORAGE must be "memory" or "sqlite", not "${kind}"`)
  const path = resolve(env.RAPPORT_DB?.trim() || DEFAULT_DB_PATH)
  return { storage: new SqliteStorage(path, log ? { log } : {}), description: `SQLite storage at ${path}` }
}
