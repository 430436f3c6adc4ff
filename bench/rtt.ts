/**
 * `sendEvent` round trip: the local server (packages/server, memory storage) in its own
 * process; each client kind in a fresh process logs in with a real customer token, starts
 * one chat and sends N messages one after the other (see rttClient.ts); Rapport is its
 * documented init(), built as a bundler ships it. Kinds are
 * interleaved repetition by repetition (the order rotates), after one discarded raw-ws
 * run that warms the server up.
 *
 * Figures (medians over the repetitions): p50 and p99 per kind; for Rapport also the p50
 * of its first 100 and of its last 100 sends (a round trip that grows with the events the
 * client holds shows here), and the store notifications per send.
 *
 * `BENCH_RTT_PROF=<dir>` runs the Rapport children with `--cpu-prof` into that folder.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { VANILLA_MODULE } from './clientKinds'
import { buildVanilla } from './rapportClient'
import { median } from './report'
import { record } from './results'
import type { RttResult } from './rttClient'

type Kind = 'ws' | 'livechat' | 'rapport'
const KINDS: Kind[] = ['ws', 'livechat', 'rapport']
const LABEL: Record<Kind, string> = { ws: 'raw ws', livechat: 'sdk 4.0.2', rapport: 'Rapport' }

export interface RttOptions {
  /** Sequential sends per run. */
  count: number
  repetitions: number
}

const script = (name: string): string => new URL(name, import.meta.url).pathname

const forkScript = (name: string, args: string[], extraExecArgv: string[] = [], built?: string): { child: ChildProcess; stderr: () => string } => {
  const child = fork(script(name), args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [...process.execArgv, ...extraExecArgv],
    ...(built !== undefined && { env: { ...process.env, [VANILLA_MODULE]: built } }),
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000)
  })
  return { child, stderr: () => stderr }
}

const runClient = (kind: Kind, url: string, count: number, built?: string): Promise<RttResult> =>
  new Promise((resolve) => {
    const profile = kind === 'rapport' && process.env.BENCH_RTT_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_RTT_PROF}`] : []
    const { child, stderr } = forkScript('rttClient.ts', [kind, url, String(count)], profile, kind === 'rapport' ? built : undefined)
    let result: RttResult | undefined
    const finish = (fallback: RttResult): void => {
      clearTimeout(timer)
      resolve(result ?? fallback)
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      finish({ type: 'result', error: 'did not report in time' })
    }, 60_000 + count * 50)
    child.on('message', (message: RttResult) => {
      result = message
    })
    child.on('exit', (code) => finish({ type: 'result', error: `exited with ${code}: ${stderr().trim().split('\n').slice(-3).join(' | ')}` }))
  })

/** The value at quantile `q` (nearest rank). */
export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}

interface RunFigures {
  p50: number
  p99: number
  first100: number
  last100: number
  push50?: number
  commitsPerSend?: number
}

const figuresOf = (result: RttResult): RunFigures | undefined => {
  const times = result.times
  if (!times || times.length === 0) return undefined
  const window = Math.min(100, times.length)
  return {
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    first100: quantile(times.slice(0, window), 0.5),
    last100: quantile(times.slice(-window), 0.5),
    ...(result.pushTimes && { push50: quantile(result.pushTimes, 0.5) }),
    ...(result.commits !== undefined && { commitsPerSend: result.commits / times.length }),
  }
}

const fmt = (ms: number): string => `${ms.toFixed(3)} ms`

export const rtt = async (options: RttOptions): Promise<void> => {
  const { count, repetitions } = options
  console.log(
    `\n# sendEvent round trip: ${count} sequential sends into one chat, the local server (memory storage, own process), each kind in a fresh process, median of ${repetitions}` +
      ' — baselines: a raw ws client (send_event → response) and @livechat/customer-sdk 4.0.2',
  )
  const server = forkScript('rttServer.ts', [])
  const url = await new Promise<string>((resolve, reject) => {
    server.child.on('message', (message: { type: string; url: string }) => message.type === 'ready' && resolve(message.url))
    server.child.on('exit', (code) => reject(new Error(`rtt server exited with ${code}: ${server.stderr()}`)))
  })
  const runs: Record<Kind, RunFigures[]> = { ws: [], livechat: [], rapport: [] }
  const errors: string[] = []
  // Rapport as a bundler ships it (not its source through tsx, whose keepNames costs every closure)
  const built = await buildVanilla()
  try {
    await runClient('ws', url, count) // warms the server up; discarded
    for (let rep = 0; rep < repetitions; rep++) {
      const order = KINDS.map((_, i) => KINDS[(i + rep) % KINDS.length] as Kind)
      for (const kind of order) {
        const result = await runClient(kind, url, count, built)
        const figures = figuresOf(result)
        if (figures) runs[kind].push(figures)
        else errors.push(`${LABEL[kind]}: ${result.error ?? 'no times'}`)
      }
    }
  } finally {
    server.child.kill()
    rmSync(dirname(built), { recursive: true, force: true })
  }
  for (const error of errors) console.log(`  failed run — ${error}`)

  const med = (kind: Kind, pick: (f: RunFigures) => number | undefined): number => {
    const values = runs[kind].map(pick).filter((v): v is number => v !== undefined)
    return values.length ? median(values) : Number.NaN
  }
  for (const kind of KINDS) {
    const extra =
      kind === 'rapport'
        ? `   first 100 p50 ${fmt(med(kind, (f) => f.first100))}   last 100 p50 ${fmt(med(kind, (f) => f.last100))}   store notifications per send ${med(kind, (f) => f.commitsPerSend).toFixed(2)}`
        : kind === 'ws'
          ? `   (to its push: p50 ${fmt(med(kind, (f) => f.push50))})`
          : ''
    console.log(`${LABEL[kind].padEnd(10)} p50 ${fmt(med(kind, (f) => f.p50))}   p99 ${fmt(med(kind, (f) => f.p99))}${extra}   (${runs[kind].length} runs)`)
  }
  const note = `${count} sequential sends, median of ${repetitions} runs; raw ws timed to the send_event response (to its push: p50 ${fmt(med('ws', (f) => f.push50))})`
  record({
    section: 'rtt',
    metric: 'sendEvent round trip p50',
    unit: 'ms',
    rapport: med('rapport', (f) => f.p50),
    official: med('livechat', (f) => f.p50),
    ws: med('ws', (f) => f.p50),
    // what sendEvent must wait for: the push carrying the stored event (the response has its id only)
    other: { label: 'raw ws, send_event → its push', value: med('ws', (f) => f.push50) },
    target: { against: 'ws', max: 1.2 },
    note,
  })
  record({
    section: 'rtt',
    metric: 'sendEvent round trip p99',
    unit: 'ms',
    rapport: med('rapport', (f) => f.p99),
    official: med('livechat', (f) => f.p99),
    ws: med('ws', (f) => f.p99),
    target: { against: 'official', max: 1 },
    note,
  })
  record({
    section: 'rtt',
    metric: 'sendEvent p50, last 100 sends (flatness)',
    unit: 'ms',
    rapport: med('rapport', (f) => f.last100),
    other: { label: 'Rapport first 100', value: med('rapport', (f) => f.first100) },
    target: { against: 'other', max: 1.2 },
    note,
  })
  record({
    section: 'rtt',
    metric: 'store notifications per sendEvent',
    unit: '',
    rapport: med('rapport', (f) => f.commitsPerSend),
    note: 'commits that changed the chat state, per sequential send (pending entry + confirmation at most)',
  })
}
