/**
 * The local server of the reconnect-storm benchmark, in its own process (forked by
 * storm.ts): `@rapport/server`'s createServer with the store `main.ts` would pick from the
 * same environment (`RAPPORT_STORAGE`, `RAPPORT_DB`) and the limits from `RAPPORT_LIMIT_*`.
 *
 * It loads its code, answers `{type:'loaded'}`, and listens only when told
 * (`{type:'listen', port}` → `{type:'listening', at}`, epoch ms): the restarted server is
 * forked and loaded while the first one still runs, so the outage is the time between
 * the kill and the `listen`, not that plus the time Node takes to load the server.
 */
import { performance } from 'node:perf_hooks'
import { createServer, storageFromEnv } from '@rapport/server'

export type StormServerMessage = { type: 'loaded' } | { type: 'listening'; at: number } | { type: 'failed'; error: string }

const send = (message: StormServerMessage): void => void process.send?.(message)

process.on('message', (message: { type?: string; port?: number }) => {
  if (message.type !== 'listen') return
  const { storage } = storageFromEnv(process.env)
  createServer({ port: message.port ?? 0, host: '127.0.0.1', storage }).then(
    () => send({ type: 'listening', at: performance.timeOrigin + performance.now() }),
    (error: unknown) => send({ type: 'failed', error: String(error) }),
  )
})
send({ type: 'loaded' })
