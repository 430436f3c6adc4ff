/**
 * One run of the memory benchmark, in a fresh process (forked by memory.ts with
 * --expose-gc): `node memoryClient.ts <kind> <serverUrl> <N>`.
 *
 * Loads the kind's code and connects 50 clients (so that the code's first use and its
 * optimisation are not counted), collects garbage and reads the heap and RSS; then connects N more clients,
 * 50 at a time, leaves them idle for a moment, collects again and reads again. Answers
 * `{type:'result', heapKB, rssKB, connectMs}`: heap and RSS per client, in KB (1,000 bytes).
 */
import { performance } from 'node:perf_hooks'
import { collect } from './children'
import { type StartedClient, isKind, prepare } from './clientKinds'

const [kind = '', serverUrl = '', countText = '500'] = process.argv.slice(2)
const n = Number(countText)
const WARMUP = 50

export interface MemoryResult {
  type: 'result'
  heapKB: number
  rssKB: number
  /** How long connecting the N clients took. */
  connectMs: number
}

if (!isKind(kind)) throw new Error(`unknown kind ${kind}`)
const create = await prepare(kind, serverUrl)
// warm-up: the first clients also pay for the code's first use and its optimisation (a
// one-off per process, for every kind); the figure is what each further client adds
const clients: StartedClient[] = Array.from({ length: WARMUP }, () => create())
await Promise.all(clients.map((c) => c.connected))
await new Promise((resolve) => setTimeout(resolve, 200))
await collect()
const before = process.memoryUsage()
const start = performance.now()
for (let i = 0; i < n; i += 50) {
  const batch = Array.from({ length: Math.min(50, n - i) }, () => create())
  clients.push(...batch)
  await Promise.all(batch.map((c) => c.connected))
}
const connectMs = performance.now() - start
// idle: whatever a connected client sets up after login (catch-up, timers) has happened
await new Promise((resolve) => setTimeout(resolve, 500))
await collect()
const after = process.memoryUsage()
process.send?.({
  type: 'result',
  heapKB: (after.heapUsed - before.heapUsed) / n / 1000,
  rssKB: (after.rss - before.rss) / n / 1000,
  connectMs,
} satisfies MemoryResult)
// the clients stay referenced until the parent has the figures
;(globalThis as { keep?: unknown }).keep = clients
