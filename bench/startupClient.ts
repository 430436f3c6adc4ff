/**
 * One run of the startup benchmark, in a fresh process (forked by startup.ts):
 * `node startupClient.ts <kind> <serverUrl> <warmups> <samples>`.
 *
 * Loads the kind's code, then times `init()` (or `new WebSocket`) → connected: first the
 * cold client (the first in the process: the code's first use is included, loading the
 * module is not), then, after `warmups` untimed ones, `samples` sequential clients, each
 * destroyed before the next starts. Answers `{type:'result', coldMs, warmMs}` (warm: the
 * median).
 */
import { performance } from 'node:perf_hooks'
import { type StartedClient, isKind, prepare } from './clientKinds'
import { median } from './report'

const [kind = '', serverUrl = '', warmupText = '10', samplesText = '50'] = process.argv.slice(2)

export interface StartupResult {
  type: 'result'
  coldMs: number
  warmMs: number
}

if (!isKind(kind)) throw new Error(`unknown kind ${kind}`)
const create = await prepare(kind, serverUrl)
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

const once = async (): Promise<number> => {
  const start = performance.now()
  const client: StartedClient = create()
  await client.connected
  const ms = performance.now() - start
  client.destroy()
  await settle()
  return ms
}

const coldMs = await once()
for (let i = 0; i < Number(warmupText); i++) await once()
const warm: number[] = []
for (let i = 0; i < Number(samplesText); i++) warm.push(await once())
process.send?.({ type: 'result', coldMs, warmMs: median(warm) } satisfies StartupResult)
