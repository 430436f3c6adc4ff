/**
 * Scale: N synthetic customers in one Node process against the local server
 * (`@rapport/server` in its own process, memory storage, stormServer.ts). Each customer is
 * a new one: token, socket, login; then it starts a chat and sends one message
 * (`BENCH_SCALE_SEND=0`: logins only). Rapport's customer client of @rapport/node
 * (bundled as a bundler ships it) beside a raw `ws` socket per customer doing the same
 * requests (scaleClient.ts); a fresh server and a fresh client process per run, kinds
 * interleaved, medians. All N are then held connected a while (30 s in a full run: past the
 * 15 s ping interval). Reported: errors (the target is none), customers connected at the
 * end, heap and RSS per customer after gc, and the time to bring all N up, 50 at a time.
 *
 * Every customer comes from 127.0.0.1: the server's limit on new customers per address
 * (100 per 10 minutes by default, against one abusive address; not a capacity) is off.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runChild } from './children'
import { median } from './report'
import { record } from './results'
import type { ScaleResult } from './scaleClient'
import type { StormServerMessage } from './stormServer'

export interface ScaleOptions {
  customers: number
  repetitions: number
  /** Each customer starts a chat and sends one message after logging in. */
  send: boolean
  /** How long all N stay connected before the count and the memory reading. */
  holdMs: number
}

/** The environment variable by which the parent hands its children the bundled @rapport/node (`buildNode()`). */
export const SCALE_NODE_MODULE = 'RAPPORT_BENCH_NODE'

type Kind = 'rapport' | 'ws'
const KINDS: Kind[] = ['ws', 'rapport']

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })

/** The local server in its own process (memory storage, no per-address customer limit); resolves once it listens. */
const startServer = async (): Promise<{ url: string; stop(): void }> => {
  const port = await freePort()
  const child: ChildProcess = fork(new URL('stormServer.ts', import.meta.url).pathname, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, RAPPORT_STORAGE: 'memory', RAPPORT_LIMIT_CUSTOMERS_PER_ADDRESS: '0' },
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000)
  })
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: StormServerMessage) => {
      if (message.type === 'loaded') child.send({ type: 'listen', port })
      else if (message.type === 'listening') resolve()
      else reject(new Error(`server did not listen: ${message.error}`))
    })
    child.once('exit', (code, signal) => reject(new Error(`server exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)))
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGKILL') }
}

/** @rapport/node bundled into one ES module for Node (ws included), as a bundler would ship it; returns its path. */
const buildNode = async (): Promise<string> => {
  const { build } = await import('esbuild')
  const folder = mkdtempSync(join(tmpdir(), 'rapport-bench-node-'))
  const outfile = join(folder, 'node.mjs')
  await build({
    entryPoints: [new URL('../packages/node/src/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    conditions: ['@rapport/source', 'module'],
    // ws is CommonJS: its `require`s of Node's modules need a require in an ES module
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    external: ['bufferutil', 'utf-8-validate'],
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile,
    logLevel: 'silent',
  })
  return outfile
}

const LABEL: Record<Kind, string> = { rapport: 'Rapport', ws: 'raw ws' }

export const scale = async ({ customers, repetitions, send, holdMs }: ScaleOptions): Promise<void> => {
  console.log(
    `\n# Scale: ${customers} synthetic customers in one fresh process against the local server (own process, memory storage), each a new customer that logs in` +
      `${send ? ', starts a chat and sends one message' : ''}, 50 at a time, then all held connected for ${holdMs / 1000} s; median of ${repetitions}` +
      ' — Rapport: the customer client of @rapport/node (bundled); baseline: a raw ws socket per customer doing the same requests',
  )
  const module = await buildNode()
  const results: Record<Kind, ScaleResult[]> = { rapport: [], ws: [] }
  try {
    for (let rep = 0; rep < repetitions; rep++) {
      for (const kind of KINDS) {
        const server = await startServer()
        try {
          const result = await runChild<ScaleResult>('scaleClient.ts', [kind, server.url, String(customers), send ? '1' : '0', String(holdMs)], 240_000, { [SCALE_NODE_MODULE]: module })
          results[kind].push(result)
          console.log(
            `  ${LABEL[kind].padEnd(8)} run ${rep + 1}: ${result.connected}/${customers} connected, ${result.sent} messages sent, ${result.errors} errors` +
              `${result.errors > 0 ? ` ${JSON.stringify(result.errorSamples)}` : ''}; heap ${result.heapKB.toFixed(1)} KB and RSS ${result.rssKB.toFixed(1)} KB per customer; all up in ${(result.connectMs / 1000).toFixed(1)} s`,
          )
        } finally {
          server.stop()
        }
      }
    }
  } finally {
    rmSync(dirname(module), { recursive: true, force: true })
  }
  const med = (kind: Kind, pick: (r: ScaleResult) => number): number => median(results[kind].map(pick))
  const most = (kind: Kind, pick: (r: ScaleResult) => number): number => Math.max(...results[kind].map(pick))
  const note = `${customers} customers in one process${send ? ', each starting a chat and sending one message' : ', logins only'}, held ${holdMs / 1000} s; median of ${repetitions}`
  console.log(`  errors (most in a run): Rapport ${most('rapport', (r) => r.errors)}, raw ws ${most('ws', (r) => r.errors)}`)
  record({ section: 'scale', metric: `${customers} customers in one process: errors (most in a run)`, unit: 'errors', rapport: most('rapport', (r) => r.errors), ws: most('ws', (r) => r.errors), note: `${note}; target: 0` })
  record({ section: 'scale', metric: `${customers} customers in one process: connected at the end (fewest in a run)`, unit: 'customers', rapport: -most('rapport', (r) => -r.connected), ws: -most('ws', (r) => -r.connected), note })
  for (const [key, label] of [
    ['heapKB', 'heap'],
    ['rssKB', 'RSS'],
  ] as const) {
    const ours = med('rapport', (r) => r[key])
    const ws = med('ws', (r) => r[key])
    console.log(`  ${label} per customer (median): Rapport ${ours.toFixed(1)} KB, raw ws ${ws.toFixed(1)} KB, ratio ${(ours / ws).toFixed(2)}`)
    record({ section: 'scale', metric: `${label} per connected customer, ${customers} in one process (after gc)`, unit: 'KB', rapport: ours, ws, note })
  }
  const up = { rapport: med('rapport', (r) => r.connectMs) / 1000, ws: med('ws', (r) => r.connectMs) / 1000 }
  console.log(`  all ${customers} up (median): Rapport ${up.rapport.toFixed(1)} s, raw ws ${up.ws.toFixed(1)} s`)
  record({ section: 'scale', metric: `${customers} customers: time until all are up, 50 at a time`, unit: 's', rapport: up.rapport, ws: up.ws, note })
}
