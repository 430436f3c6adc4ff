import { createServer } from './server'
import { readFileSync } from 'node:fs'
import type { Logger, ServerOptions } from './options'
import { storageFromEnv } from './storage/fromEnv'

const logger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error),
}

const port = Number.parseInt(process.env.PORT ?? '8080', 10)
const host = process.env.HOST ?? '127.0.0.1'

// Optional JSON config (organizations / clients allow-lists, agents, timeouts): RAPPORT_SERVER_CONFIG=path
const configPath = process.env.RAPPORT_SERVER_CONFIG
const fileOptions: ServerOptions = configPath ? (JSON.parse(readFileSync(configPath, 'utf8')) as ServerOptions) : {}

// RAPPORT_STORAGE=memory|sqlite (default sqlite), RAPPORT_DB=path (default <repo>/.data/rapport.sqlite)
const { storage, description } = storageFromEnv(process.env, logger.info)
const server = await createServer({ ...fileOptions, port: Number.isNaN(port) ? 8080 : port, host, logger, storage })
console.log(`Rapport server listening on ${server.url} (${description})`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  server.close().then(
    () => {
      // createServer leaves a store it was given open: close it (checkpoints the WAL).
      storage.close()
      process.exit(0)
    },
    (error: unknown) => {
      console.error('Failed to close the server', error)
      process.exit(1)
    },
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
