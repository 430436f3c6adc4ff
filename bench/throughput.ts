/**
 * Incoming throughput over a real socket: a stub server in its own process pushes N
 * `incoming_event` frames for one chat as fast as it can; each client runs in a fresh
 * process and times, from its cue to the server to the N-th event counted (see
 * throughputClient.ts). Kinds are interleaved repetition by repetition, after one
 * discarded raw-ws run that warms the stub up; a kind that hits the time limit is not
 * repeated.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { buildVanilla } from './rapportClient'
import { median, pairRow } from './report'
import { record } from './results'
import type { ClientResult } from './throughputClient'

export type Kind = 'ws' | 'livechat' | 'rapport'
const KINDS: Kind[] = ['ws', 'livechat', 'rapport']
const LABEL: Record<Kind, string> = { ws: 'raw ws', livechat: 'sdk 4.0.2', rapport: 'ours' }

export interface ThroughputOptions {
  /** Pushes per run. */
  count: number
  repetitions: number
  /** Per run; a client still counting then reports how far it got. */
  limitMs: number
  /** Time allowed to connect and log in. */
  connectMs?: number
}

const script = (name: string): string => new URL(name, import.meta.url).pathname

/** Forks a bench script; children inherit this process's loader and conditions (tsx, @rapport/source). */
const forkScript = (name: string, args: string[], built?: string): { child: ChildProcess; stderr: () => string } => {
  const child = fork(script(name), args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], ...(built && { env: { ...process.env, RAPPORT_BENCH_VANILLA: built } }) })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000)
  })
  return { child, stderr: () => stderr }
}

const runClient = (kind: Kind, url: string, options: ThroughputOptions, built?: string): Promise<ClientResult> =>
  new Promise((resolve) => {
    const { child, stderr } = forkScript('throughputClient.ts', [kind, url, String(options.count), String(options.limitMs)], built)
    let result: ClientResult | undefined
    const finish = (fallback: Omit<ClientResult, 'type'>): void => {
      clearTimeout(connectTimer)
      clearTimeout(hardTimer)
      if (child.exitCode === null) child.kill('SIGKILL')
      resolve(result ?? { type: 'result', ...fallback })
    }
    const connectTimer = setTimeout(() => finish({ finished: false, count: 0, ms: Number.NaN, error: 'did not connect in time' }), options.connectMs ?? 30_000)
    const hardTimer = setTimeout(() => finish({ finished: false, count: 0, ms: Number.NaN, error: 'did not report in time' }), (options.connectMs ?? 30_000) + options.limitMs + 30_000)
    child.on('message', (message: ClientResult | { type: 'started' }) => {
      if (message.type === 'started') clearTimeout(connectTimer)
      else {
        result = message
        finish(message)
      }
    })
    child.on('exit', (code) => finish({ finished: false, count: 0, ms: Number.NaN, error: `exited with ${code}: ${stderr().trim().split('\n').slice(-3).join(' | ')}` }))
  })

const describe = (results: ClientResult[], options: ThroughputOptions): { text: string; ms: number; finished: boolean } => {
  const failed = results.find((r) => !r.finished)
  if (!failed) {
    const ms = median(results.map((r) => r.ms))
    return { text: `${ms.toFixed(1)} ms`, ms, finished: true }
  }
  const limit = `${(options.limitMs / 1000).toFixed(0)} s`
  if (failed.error) return { text: `failed (${failed.count} of ${options.count}): ${failed.error}`, ms: Number.NaN, finished: false }
  if (failed.count === options.count) return { text: `state holds ${failed.held} of ${options.count}`, ms: Number.NaN, finished: false }
  return { text: `> ${limit} (${failed.count} of ${options.count} in ${limit})`, ms: options.limitMs, finished: false }
}

export const throughput = async (options: ThroughputOptions): Promise<void> => {
  const { count, repetitions, limitMs } = options
  console.log(
    `\n# Incoming throughput: ${count} incoming_event pushes from a stub server (own process) into a fresh client process, median of ${repetitions}` +
      ` — baseline: a raw ws client (JSON.parse + count); ours = Rapport's init() as a bundler ships it, events emitted and held in state; limit ${limitMs / 1000} s per run`,
  )
  const server = forkScript('throughputServer.ts', [String(count)])
  const pushed: Array<{ loopMs: number; flushedMs: number }> = []
  const url = await new Promise<string>((resolve, reject) => {
    server.child.on('message', (message: { type: string; url?: string; loopMs?: number; flushedMs?: number }) => {
      if (message.type === 'ready' && message.url) resolve(message.url)
      if (message.type === 'pushed') pushed.push({ loopMs: message.loopMs ?? Number.NaN, flushedMs: message.flushedMs ?? Number.NaN })
    })
    server.child.on('exit', (code) => reject(new Error(`stub server exited with ${code}: ${server.stderr()}`)))
  })
  // Rapport as a bundler ships it (not its source through tsx, whose keepNames costs every closure)
  const built = await buildVanilla()
  const results: Record<Kind, ClientResult[]> = { ws: [], livechat: [], rapport: [] }
  const stopped = new Set<Kind>()
  try {
    // warms the stub up (its first push loop runs cold); not counted
    await runClient('ws', url, options)
    pushed.length = 0
    for (let rep = 0; rep < repetitions; rep++) {
      for (const kind of KINDS) {
        if (stopped.has(kind)) continue
        const result = await runClient(kind, url, options, kind === 'rapport' ? built : undefined)
        results[kind].push(result)
        if (!result.finished) stopped.add(kind)
      }
    }
  } finally {
    server.child.kill()
    rmSync(dirname(built), { recursive: true, force: true })
  }

  const ws = describe(results.ws, options)
  const livechat = describe(results.livechat, options)
  const rapport = describe(results.rapport, options)
  const ratio = (a: typeof ws, b: typeof ws): string =>
    !b.finished || Number.isNaN(a.ms) ? 'n/a' : `${a.finished ? '' : '> '}${(a.ms / b.ms).toFixed(2)}`
  const n = `${count / 1000}k`
  pairRow(`${n} pushes → all counted, Rapport (median)`, [LABEL.rapport, rapport.text], [LABEL.ws, ws.text], ratio(rapport, ws))
  pairRow(`${n} pushes → all counted, sdk 4.0.2 (median)`, [LABEL.livechat, livechat.text], [LABEL.ws, ws.text], ratio(livechat, ws))
  pairRow(`${n} pushes → all counted, Rapport vs 4.0.2`, [LABEL.rapport, rapport.text], [LABEL.livechat, livechat.text], ratio(rapport, livechat))
  record({
    section: 'throughput',
    metric: `${n} incoming events, first push → all emitted (state kept)`,
    unit: 'ms',
    rapport: rapport.finished ? rapport.ms : Number.NaN,
    official: livechat.finished ? livechat.ms : Number.NaN,
    ws: ws.finished ? ws.ms : Number.NaN,
    target: { against: 'ws', max: 1.15 },
    note: `median of ${repetitions}, each client in a fresh process; the official client keeps no chat state`,
  })
  const runs = (kind: Kind) =>
    results[kind].map((r) => (r.finished ? r.ms.toFixed(0) : r.error ? 'failed' : r.count === count ? `held ${r.held}` : `${r.count}/${count} at ${(r.ms / 1000).toFixed(0)} s`)).join(', ')
  console.log(`  runs (ms): raw ws ${runs('ws')}; sdk 4.0.2 ${runs('livechat')}; ours ${runs('rapport')}`)
  if (pushed.length > 0)
    console.log(`  stub: all ${count} frames handed to the socket in ${median(pushed.map((p) => p.loopMs)).toFixed(1)} ms, written in ${median(pushed.map((p) => p.flushedMs)).toFixed(1)} ms (median)`)
}
