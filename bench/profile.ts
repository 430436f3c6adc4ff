/**
 * Where a benchmark's CPU time goes, by package and module (a development aid, not part
 * of `pnpm bench`; the issues' evidence for the figures that stay above their targets):
 *
 *   tsx --conditions=@rapport/source profile.ts throughput [N]   20k incoming events (default), the measured window only
 *   tsx --conditions=@rapport/source profile.ts startup [clients] init() → connected → destroy, one client after another (500 by default)
 *   tsx --conditions=@rapport/source profile.ts rtt [sends]       sequential sendEvent round trips on the local server (1000 by default)
 *
 * Rapport runs as its documented init(), built as a bundler ships it (`buildVanilla`),
 * in a fresh process under `--cpu-prof`; the bundle's module comments attribute each
 * sample to the file it came from. Prints self time per group (xstate, immer, rxjs, ws,
 * Node, each Rapport module), per client or event, and keeps the profile in
 * bench/results/profiles/ for a closer look (Chrome DevTools, speedscope).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { VANILLA_MODULE } from './clientKinds'
import { startStub } from './children'
import { buildVanilla } from './rapportClient'

type Section = 'throughput' | 'startup' | 'rtt'
const [sectionArg = 'throughput', countArg] = process.argv.slice(2)
if (sectionArg !== 'throughput' && sectionArg !== 'startup' && sectionArg !== 'rtt') throw new Error(`unknown section ${sectionArg}`)
const section: Section = sectionArg
const count = Number(countArg ?? { throughput: 20_000, startup: 500, rtt: 1_000 }[section])

const dir = new URL('./results/profiles/', import.meta.url).pathname
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const built = await buildVanilla()
const script = (name: string): string => new URL(name, import.meta.url).pathname

const run = (child: ChildProcess): Promise<unknown> =>
  new Promise((resolve, reject) => {
    let result: unknown
    child.on('message', (message: { type: string }) => {
      if (message.type === 'result') result = message
    })
    child.on('exit', (code) => (result === undefined ? reject(new Error(`${section} child exited with ${code}`)) : resolve(result)))
  })

const profiled = (name: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess =>
  fork(script(name), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, [VANILLA_MODULE]: built, ...extraEnv },
    execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'],
  })

const forkServer = async (name: string, args: string[]): Promise<{ url: string; stop(): void }> => {
  const child = fork(script(name), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const url = await new Promise<string>((resolve) => child.on('message', (m: { type: string; url?: string }) => m.type === 'ready' && m.url && resolve(m.url)))
  return { url, stop: () => void child.kill() }
}

let result: unknown
let per = ''
if (section === 'throughput') {
  const server = await forkServer('throughputServer.ts', [String(count)])
  result = await run(profiled('throughputClient.ts', ['rapport', server.url, String(count), '60000']))
  server.stop()
  per = 'event'
} else if (section === 'startup') {
  const stub = await startStub()
  // every client is timed; the first ones warm the code up as in the startup section
  result = await run(profiled('startupClient.ts', ['rapport', stub.url, '10', String(count - 11)]))
  stub.stop()
  per = 'client'
} else {
  const server = await forkServer('rttServer.ts', [])
  result = await run(profiled('rttClient.ts', ['rapport', server.url, String(count)]))
  server.stop()
  per = 'send'
}
console.log(`${section}, ${count} ${per}s:`, result)

// ------------------------------------------------------------------ the report

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>
  samples: number[]
  timeDeltas: number[]
}

/** The bundle's `// path` module comments: the first line of each module and its group. */
const modules: Array<[number, string]> = readFileSync(built, 'utf8')
  .split('\n')
  .flatMap((line, index): Array<[number, string]> => {
    const match = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line)
    if (!match?.[1]) return []
    const path = match[1]
    const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)\/(?!.*node_modules)/.exec(path)?.[1]
    return [[index, pkg ?? path.replace(/^(\.\.\/)+packages\//, '').replace('/src/', ': ')]]
  })
const moduleOf = (line: number): string => {
  let found = '(bundle)'
  for (const [start, name] of modules) {
    if (start > line) break
    found = name
  }
  return found
}

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
if (!file) throw new Error('no profile written')
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

const groupOf = (frame: CallFrame): string => {
  if (frame.url.endsWith('customer-sdk.mjs')) return moduleOf(frame.lineNumber)
  if (frame.url.includes('/node_modules/ws/')) return 'ws'
  // (garbage collector), (idle), (program); a builtin such as JSON.parse shows as its caller's self time
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : 'Node'
  if (frame.url.startsWith('node:internal/modules') || frame.url.includes('source_map')) return 'harness and loader'
  if (frame.url.startsWith('node:')) return 'Node'
  return 'harness and loader'
}

// the window: throughput counts the samples from the first frame decoded to the last
const within = (sample: number): boolean => {
  for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) if (byId.get(id)?.callFrame.functionName === 'decodeServerFrame') return true
  return false
}
let first = 0
let last = profile.samples.length - 1
if (section === 'throughput') {
  first = profile.samples.findIndex(within)
  last = profile.samples.length - 1 - [...profile.samples].reverse().findIndex(within)
}
const totals = new Map<string, number>()
for (let i = first; i <= last; i++) {
  const frame = byId.get(profile.samples[i] as number)?.callFrame
  if (!frame) continue
  const group = groupOf(frame)
  totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000)
}
const skip = new Set(['(idle)', 'harness and loader'])
const busy = [...totals].filter(([group]) => !skip.has(group)).reduce((sum, [, ms]) => sum + ms, 0)
console.log(`\nself time${section === 'throughput' ? ', first frame decoded → last' : ''}: ${busy.toFixed(1)} ms busy (idle, harness and module loading left out)`)
console.log('group'.padEnd(40), 'ms'.padStart(8), `µs/${per}`.padStart(10), 'share'.padStart(7))
for (const [group, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
  if (skip.has(group) || ms < busy * 0.005) continue
  console.log(group.padEnd(40), ms.toFixed(1).padStart(8), ((ms * 1000) / count).toFixed(2).padStart(10), `${((ms / busy) * 100).toFixed(1)}%`.padStart(7))
}
// what the raw ws baseline pays too (socket, Node's streams, decoding: frames.ts is JSON.parse)
const WIRE = new Set(['ws', 'Node', 'protocol: frames.ts'])
const LIBRARIES = new Set(['xstate', 'immer', 'rxjs', 'tslib'])
const kinds = new Map<string, number>()
for (const [group, ms] of totals) {
  if (skip.has(group)) continue
  const kind = WIRE.has(group) ? 'wire: ws, Node, JSON.parse' : LIBRARIES.has(group) ? 'xstate, immer, rxjs' : group.startsWith('(') ? 'garbage collector, VM' : 'Rapport (core, protocol, adapter)'
  kinds.set(kind, (kinds.get(kind) ?? 0) + ms)
}
console.log('')
for (const [kind, ms] of [...kinds].sort((a, b) => b[1] - a[1]))
  console.log(kind.padEnd(40), ms.toFixed(1).padStart(8), ((ms * 1000) / count).toFixed(2).padStart(10), `${((ms / busy) * 100).toFixed(1)}%`.padStart(7))
console.log(`\nprofile: ${join(dir, file)}`)
rmSync(dirname(built), { recursive: true, force: true })
