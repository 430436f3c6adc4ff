import { fileURLToPath } from 'node:url'
import { MemoryStorage } from './memoryStorage'
import { SqliteStorage } from './sqliteStorage'
import type { Storage } from './storage'

/** `<repo>/.data/rapport.sqlite`: the project's (git-ignored) data folder. */
export const DEFAULT_DB_PATH = fileURLToPath(new URL('../../../../.data/rapport.sqlite', import.meta.url))

export interface StorageChoice {
  storage: Storage
  /** What was chosen, for the start-up log line. */
  description: string
}

/**
 * The store `main.ts` uses: `RAPPORT_STORAGE=memory|sqlite` (default `sqlite`) and
 * `RAPPORT_DB` (default `<repo>/.data/rapport.sqlite`; its folder is created).
 */
export const storageFromEnv = (env: Record<string, string | undefined> = process.env, log?: (message: string) => void): StorageChoice => {
  const kind = (env.RAPPORT_STORAGE ?? 'sqlite').trim().toLowerCase()
  if (kind === 'memory') return { storage: new MemoryStorage(), description: 'in-memory storage (nothing survives a restart)' }
  if (kind !== 'sqlite' && kind !== '') throw new Error(`RAPPORT_STORAGE must be "memory" or "sqlite", not "${kind}"`)
  const path = env.RAPPORT_DB?.trim() || DEFAULT_DB_PATH
  return { storage: new SqliteStorage(path, log ? { log } : {}), description: `SQLite storage at ${path}` }
}
