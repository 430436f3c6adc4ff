/**
 * Reconnect storm: the local server (`@rapport/server`, stormServer.ts) in its own
 * process, N customer clients of one kind in one fresh client process (stormClient.ts).
 * Once every client is connected the server is killed (SIGKILL), and after an outage it
 * listens again on the same port (the next server process is loaded before the kill, so
 * the outage is what it says). The client process counts every WebSocket its clients
 * open; this process counts, among the attempts from the kill until every client is back,
 * the most that fall in any 100 ms (a sliding window), as a share of them all; the same
 * over the first N attempts (the first-retry wave); the time from the server listening
 * again to the last client connected; and the clients that gave up. Kinds interleave
 * repetition by repetition; medians are reported. `BENCH_STORM_TRACE=1` prints each run's
 * attempts per 500 ms.
 *
 * The store is a SQLite file by default, kept across the restart as a deployed server
 * keeps its customers; with `memory` every identity is gone after the restart (Rapport
 * logs in as a new customer; 4.0.2 refuses the new identity with `identity_mismatch` and
 * stops). The server keeps its default limits except new customers per address: every
 * client of the benchmark comes from 127.0.0.1 (the default, 100 per address per 10
 * minutes, guards against one abusive address; it is not a capacity).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { DEFAULTS } from '@rapport/core'
import { median } from './report'
import { record } from './results'
import type { StormMessage, StormReport } from './stormClient'
import type { StormServerMessage } from './stormServer'

export type StormKind = 'rapport' | 'livechat'
const KINDS: StormKind[] = ['rapport', 'livechat']
const LABEL: Record<StormKind, string> = { rapport: 'Rapport', livechat: 'sdk 4.0.2' }

export interface StormOptions {
  /** Clients per kind. */
  clients: number
  repetitions: number
  /** How long the server stays down. */
  outageMs: number
  /** Time allowed for every client to connect at the start. */
  connectMs?: number
  /**
   * The server's store: `sqlite` (a file in a temporary folder, kept across the restart, as
   * a deployed server keeps its customers) or `memory` (forgotten by the kill: every client
   * must get a new identity after the restart, which 4.0.2 refuses with `identity_mismatch`).
   */
  storage: 'sqlite' | 'memory'
}

export interface StormRun {
  kind: StormKind
  /** Attempts from the kill until every client was back (or the run's end). */
  attempts: number
  /** The most attempts in any 100 ms, as a share of `attempts`. */
  peakShare: number
  /** Server listening again → last client connected, ms (NaN when not all came back). */
  backMs: number
  gaveUp: number
  connected: number
  /**
   * The first-retry wave: among the first N attempts after the kill (N clients; about one
   * per client, as each client's second attempt comes after its first), the most in any
   * 100 ms, as a share of N.
   */
  wavePeak: number
  error?: string
}

const WINDOW_MS = 100
const now = (): number => performance.timeOrigin + performance.now()
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The most values of a sorted list within any `width` (a sliding window, closed on the left). */
export const peakInWindow = (sorted: readonly number[], width: number): number => {
  let peak = 0
  let lo = 0
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= width) lo++
    peak = Math.max(peak, hi - lo + 1)
  }
  return peak
}

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

/** Forks the storm's server (stormServer.ts) with `env`; resolves once its code is loaded. */
const loadServer = (env: Record<string, string>): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = fork(new URL('stormServer.ts', import.meta.url).pathname, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...env, RAPPORT_LIMIT_CUSTOMERS_PER_ADDRESS: '0' },
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000)
    })
    child.on('message', (message: StormServerMessage) => {
      if (message.type === 'loaded') resolve(child)
    })
    child.once('exit', (code, signal) => reject(new Error(`server exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)))
  })

/** Tells a loaded server to listen on `port`; resolves with the time it listens (epoch ms). */
const listen = (server: ChildProcess, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const seen = (message: StormServerMessage): void => {
      if (message.type === 'loaded') return
      server.off('message', seen)
      if (message.type === 'listening') resolve(message.at)
      else reject(new Error(`server did not listen: ${message.error}`))
    }
    server.on('message', seen)
    server.send({ type: 'listen', port })
  })

const kill = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })

const runOnce = async (kind: StormKind, options: StormOptions): Promise<StormRun> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const folder = options.storage === 'sqlite' ? mkdtempSync(join(tmpdir(), 'rapport-storm-')) : undefined
  const storage: Record<string, string> = folder ? { RAPPORT_STORAGE: 'sqlite', RAPPORT_DB: join(folder, 'storm.sqlite') } : { RAPPORT_STORAGE: 'memory' }
  let server = await loadServer(storage)
  await listen(server, port)
  let next: ChildProcess | undefined
  const client = fork(new URL('stormClient.ts', import.meta.url).pathname, [kind, url, String(options.clients)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderr = ''
  client.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000)
  })
  const alls: number[] = []
  let wake: (() => void) | undefined
  let report: StormReport | undefined
  client.on('message', (message: StormMessage) => {
    if (message.type === 'all') alls.push(message.at)
    else report = message
    wake?.()
  })
  const until = async (done: () => boolean, ms: number): Promise<boolean> => {
    const deadline = performance.now() + ms
    while (!done() && performance.now() < deadline && client.exitCode === null) {
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sleep(Math.max(0, Math.min(250, deadline - performance.now())))])
    }
    return done()
  }
  const failed = (error: string): StormRun => ({ kind, attempts: 0, peakShare: Number.NaN, backMs: Number.NaN, gaveUp: Number.NaN, connected: 0, wavePeak: Number.NaN, error })
  try {
    if (!(await until(() => alls.length > 0, options.connectMs ?? 60_000))) return failed(`not all connected at the start ${stderr.trim().split('\n').slice(-2).join(' | ')}`)
    // every client idle and connected: a moment for the last logins' follow-ups to settle,
    // while the next server loads its code
    next = await loadServer(storage)
    await sleep(500)
    const killedAt = now()
    await kill(server)
    await sleep(Math.max(0, killedAt + options.outageMs - now()))
    server = next
    next = undefined
    const restartedAt = await listen(server, port)
    const budgetMs = DEFAULTS.retry.maxDelayMs + 2_000
    // the budget, and as long again for a late client to be counted rather than cut off
    await until(() => alls.some((at) => at > killedAt), 2 * budgetMs)
    client.send({ type: 'report' })
    await until(() => report !== undefined, 10_000)
    if (!report) return failed('no report')
    const back = alls.find((at) => at > killedAt)
    const end = back ?? now()
    const attempts = report.attempts.filter((at) => at >= killedAt && at <= end).sort((a, b) => a - b)
    if (process.env.BENCH_STORM_TRACE) {
      // attempts per 500 ms after the kill, and the moments of the restart and the return
      const bins: number[] = []
      for (const at of attempts) bins[Math.floor((at - killedAt) / 500)] = (bins[Math.floor((at - killedAt) / 500)] ?? 0) + 1
      const drops = report.drops.filter((at) => at >= killedAt).map((at) => at - killedAt)
      console.log(`    ${kind} ${drops.length} drops seen ${median(drops).toFixed(0)} ms after the kill (max ${Math.max(...drops).toFixed(0)})`)
      console.log(`    ${kind} attempts per 500 ms from the kill: ${Array.from(bins, (b) => b ?? 0).join(' ')}; restart at ${((restartedAt - killedAt) / 1000).toFixed(2)} s, back at ${back === undefined ? '-' : ((back - killedAt) / 1000).toFixed(2)} s`)
    }
    return {
      kind,
      attempts: attempts.length,
      peakShare: attempts.length === 0 ? Number.NaN : peakInWindow(attempts, WINDOW_MS) / attempts.length,
      backMs: back === undefined ? Number.NaN : back - restartedAt,
      gaveUp: report.gaveUp,
      connected: report.connected,
      wavePeak: attempts.length < options.clients ? Number.NaN : peakInWindow(attempts.slice(0, options.clients), WINDOW_MS) / options.clients,
      ...(report.error !== undefined && { error: report.error }),
      ...(report.gaveUp > 0 && { error: `gave up: ${JSON.stringify(report.reasons)}` }),
    }
  } finally {
    await kill(client)
    await kill(server)
    if (next) await kill(next)
    if (folder) rmSync(folder, { recursive: true, force: true })
  }
}

const pct = (share: number): string => (Number.isNaN(share) ? 'n/a' : `${(share * 100).toFixed(1)} %`)
const secs = (ms: number): string => (Number.isNaN(ms) ? 'not all back' : `${(ms / 1000).toFixed(2)} s`)

export const storm = async (options: StormOptions): Promise<void> => {
  const budgetMs = DEFAULTS.retry.maxDelayMs + 2_000
  console.log(
    `\n# Reconnect storm: ${options.clients} clients of one kind in one fresh process against the local server (own process, ${options.storage} storage),` +
      ` server killed (SIGKILL) and restarted after ${options.outageMs / 1000} s; median of ${options.repetitions}` +
      ` — peak attempts in any ${WINDOW_MS} ms as a share of all attempts from the kill until all are back (target ≤ 10 %),` +
      ` time from the restart until all are back (budget: Rapport's cap ${DEFAULTS.retry.maxDelayMs / 1000} s + 2 s), clients that gave up`,
  )
  const runs: Record<StormKind, StormRun[]> = { rapport: [], livechat: [] }
  for (let rep = 0; rep < options.repetitions; rep++) {
    for (const kind of KINDS) {
      const run = await runOnce(kind, options)
      runs[kind].push(run)
      console.log(
        `  ${LABEL[kind].padEnd(10)} run ${rep + 1}: ${run.attempts} attempts, peak ${pct(run.peakShare)} in ${WINDOW_MS} ms, ` +
          `first-retry wave peak ${pct(run.wavePeak)}, back in ${secs(run.backMs)}, ${run.connected}/${options.clients} connected, gave up ${run.gaveUp}` +
          (run.error ? ` (${run.error.slice(0, 200)})` : ''),
      )
    }
  }
  const med = (kind: StormKind, pick: (run: StormRun) => number): number => {
    const values = runs[kind].map(pick)
    return values.some((v) => Number.isNaN(v)) ? Number.NaN : median(values)
  }
  const peak = { rapport: med('rapport', (r) => r.peakShare), livechat: med('livechat', (r) => r.peakShare) }
  const wave = { rapport: med('rapport', (r) => r.wavePeak), livechat: med('livechat', (r) => r.wavePeak) }
  const back = { rapport: med('rapport', (r) => r.backMs), livechat: med('livechat', (r) => r.backMs) }
  const gaveUp = { rapport: Math.max(...runs.rapport.map((r) => r.gaveUp)), livechat: Math.max(...runs.livechat.map((r) => r.gaveUp)) }
  console.log(`  peak share in ${WINDOW_MS} ms (median): Rapport ${pct(peak.rapport)}, sdk 4.0.2 ${pct(peak.livechat)}`)
  console.log(`  first-retry wave, peak share in ${WINDOW_MS} ms (median): Rapport ${pct(wave.rapport)}, sdk 4.0.2 ${pct(wave.livechat)}`)
  console.log(`  restart → all back (median): Rapport ${secs(back.rapport)}, sdk 4.0.2 ${secs(back.livechat)}; budget ${secs(budgetMs)}`)
  console.log(`  gave up (most in a run): Rapport ${gaveUp.rapport}, sdk 4.0.2 ${gaveUp.livechat}`)
  const note = `${options.clients} clients per kind, ${options.storage} storage, outage ${options.outageMs / 1000} s, median of ${options.repetitions}`
  record({
    section: 'storm',
    metric: `reconnect storm, peak attempts in any ${WINDOW_MS} ms (share of all)`,
    unit: '%',
    rapport: peak.rapport * 100,
    official: peak.livechat * 100,
    other: { label: 'limit', value: 10 },
    target: { against: 'other', max: 1 },
    note,
  })
  record({
    section: 'storm',
    metric: `reconnect storm, first-retry wave: peak in any ${WINDOW_MS} ms (share of the first N attempts)`,
    unit: '%',
    rapport: wave.rapport * 100,
    official: wave.livechat * 100,
    note,
  })
  record({
    section: 'storm',
    metric: 'reconnect storm, server restart → all clients back',
    unit: 's',
    rapport: back.rapport / 1000,
    official: back.livechat / 1000,
    other: { label: 'cap + 2 s', value: budgetMs / 1000 },
    target: { against: 'other', max: 1 },
    note,
  })
  record({
    section: 'storm',
    metric: 'reconnect storm, clients that gave up (most in a run)',
    unit: 'clients',
    rapport: gaveUp.rapport,
    official: gaveUp.livechat,
    note: `${note}; target: none`,
  })
}
