/**
 * Rapport's benchmarks. Every figure is printed next to a baseline measured in the
 * same run, as a ratio; nothing here passes or fails. `pnpm bench` from the root.
 *
 *   pnpm bench                       quick (about two minutes)
 *   BENCH_FULL=1 pnpm bench          the issues' figures: 5 repetitions, 60 s limit, 200 appends
 *   BENCH_ONLY=throughput,append pnpm bench
 *                                    some sections only: size, state, frames, throughput, append, burst, memory, startup, scale, storm, rtt
 *   BENCH_PUSHES=20000 BENCH_LIMIT_S=60 BENCH_REPS=9 pnpm bench
 *                                    pushes per throughput run, a Rapport run's time limit, and repetitions
 *   BENCH_CLIENTS=1000 BENCH_STORM_STORAGE=memory pnpm bench
 *                                    the reconnect storm's clients per kind (300 quick, 1000 full) and server store (sqlite file by default)
 *   BENCH_SCALE_CLIENTS=1000 BENCH_SCALE_SEND=0 pnpm bench
 *                                    synthetic customers in one process (300 quick, 1000 full); logins only (each also starts a chat and sends one message by default)
 */
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import { type ChatAction, chatReducer, initialChatState } from '@rapport/core'
import { type ChatEvent, decodeServerFrame, parsePush } from '@rapport/protocol'
import { build } from 'esbuild'
import { build as viteBuild } from 'vite'
import { produce } from 'immer'
import { Bench } from 'tinybench'
import { appendCost, burst } from './inbound'
import { memory } from './memory'
import { row } from './report'
import { record, summaryTable, writeResults } from './results'
import { scale } from './scale'
import { startup } from './startup'
import { storm } from './storm'
import { rtt } from './rtt'
import { throughput } from './throughput'

const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full')
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null

// ---------------------------------------------------------------- size
// `module` is among esbuild's default conditions, but naming any condition replaces the
// defaults: without it xstate resolves to its CommonJS build, which does not tree-shake
// (every bundler an app uses — webpack, rollup, vite, esbuild left alone — picks `module`).
const SOURCE = ['@rapport/source', 'module']
const sdkSource = new URL('../packages/customer-sdk/src/index.ts', import.meta.url).pathname

const bundle = async (entry: string | { code: string }, conditions: string[] = [], format: 'iife' | 'esm' = 'iife'): Promise<Buffer> => {
  const input =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.code, resolveDir: new URL('../packages/core/src', import.meta.url).pathname, loader: 'ts' as const } }
  const result = await build({ ...input, bundle: true, minify: true, format, platform: 'browser', write: false, conditions, target: 'es2020', logLevel: 'silent' })
  return Buffer.from(result.outputFiles[0]?.contents ?? [])
}
const gzipKiB = (bytes: Buffer): number => gzipSync(bytes).length / 1024

/** One part imported alone from the SDK's entry, as an app would (ESM, tree-shaken). */
const part = async (names: string): Promise<number> => gzipKiB(await bundle({ code: `export { ${names} } from '${sdkSource}'` }, SOURCE, 'esm'))

/** The widget's budget in .size-limit.json (gzip), read so that the two never disagree. */
const WIDGET_BUDGET_KIB = (() => {
  const entries: unknown = JSON.parse(readFileSync(new URL('../.size-limit.json', import.meta.url), 'utf8'))
  const entry = Array.isArray(entries) ? entries.find((e: { path?: unknown }) => e.path === 'apps/widget/dist/rapport-widget.js') : undefined
  const match = /^([\d.]+) KiB$/.exec(String(entry?.limit))
  return match ? Number(match[1]) : Number.NaN
})()

/** `apps/widget`'s `vite build` (the IIFE `rapport-widget.js`), in memory. */
const buildWidgetScript = async (): Promise<Buffer> => {
  const root = new URL('../apps/widget/', import.meta.url).pathname
  const output = await viteBuild({ root, configFile: `${root}vite.config.ts`, logLevel: 'silent', build: { write: false } })
  const outputs = Array.isArray(output) ? output : [output]
  for (const result of outputs)
    if ('output' in result) for (const file of result.output) if (file.type === 'chunk' && file.fileName === 'rapport-widget.js') return Buffer.from(file.code)
  throw new Error('vite build of apps/widget made no rapport-widget.js')
}

const size = async (): Promise<void> => {
  console.log('\n# Size of the browser bundle (minified, gzip) — baseline: @livechat/customer-sdk 4.0.2, bundled the same way')
  const ours = await bundle(sdkSource, SOURCE)
  const theirs = await bundle(new URL('./node_modules/@livechat/customer-sdk/dist/customer-sdk.esm.js', import.meta.url).pathname)
  row('minified bytes', ours.length / 1024, theirs.length / 1024, 'KiB')
  const gzip = { ours: gzipKiB(ours), theirs: gzipKiB(theirs) }
  row('gzip bytes', gzip.ours, gzip.theirs, 'KiB')
  record({
    section: 'size',
    metric: 'browser bundle, everything (min+gzip)',
    unit: 'KiB',
    rapport: gzip.ours,
    official: gzip.theirs,
    other: { label: 'budget', value: 28.8 },
    target: { against: 'other', max: 1 },
  })

  // the floor: the three libraries alone, importing what core imports from them
  const floor = gzipKiB(
    await bundle(
      {
        code: [
          "export { assign, createActor, emit, enqueueActions, fromCallback, fromPromise, not, sendTo, setup } from 'xstate'",
          "export { Observable, Subject, filter, firstValueFrom, map } from 'rxjs'",
          "export { Immer, castDraft, isDraft, original } from 'immer'",
        ].join('\n'),
      },
      SOURCE,
    ),
  )
  row('xstate + rxjs + immer alone (gzip)', floor, gzip.theirs, 'KiB')
  record({ section: 'size', metric: 'xstate + rxjs + immer alone, what core imports (min+gzip)', unit: 'KiB', rapport: floor, official: gzip.theirs })
  record({
    section: 'size',
    metric: 'our own code: everything − the libraries alone (gzip)',
    unit: 'KiB',
    rapport: gzip.ours - floor,
    other: { label: 'budget', value: 6 },
    target: { against: 'other', max: 1 },
  })

  const scriptTag = new URL('../packages/customer-sdk/dist/customer-sdk.global.js', import.meta.url)
  if (existsSync(scriptTag)) {
    const global = gzipKiB(readFileSync(scriptTag))
    row('script-tag build, dist (gzip)', global, gzip.theirs, 'KiB')
    record({ section: 'size', metric: 'script-tag build customer-sdk.global.js (gzip)', unit: 'KiB', rapport: global, official: gzip.theirs, other: { label: 'budget', value: 28.8 }, target: { against: 'other', max: 1 } })
  } else console.log('script-tag build: not built (pnpm build first)')

  // the chat widget as a site ships it: apps/widget's one-file script-tag build (Svelte,
  // its styles, @rapport/svelte and the SDK), built here with the widget's own Vite config
  const widget = await buildWidgetScript()
  const widgetGzip = gzipKiB(widget)
  row('widget script-tag build (gzip) ÷ its budget', widgetGzip, WIDGET_BUDGET_KIB, 'KiB')
  record({
    section: 'size',
    metric: 'chat widget script-tag build rapport-widget.js (min+gzip)',
    unit: 'KiB',
    rapport: widgetGzip,
    other: { label: 'budget (.size-limit.json)', value: WIDGET_BUDGET_KIB },
    target: { against: 'other', max: 1 },
    note: `minified ${(widget.length / 1024).toFixed(1)} KiB; the SDK's own bundle is most of it`,
  })

  for (const [label, names] of [
    ['init alone', 'init'],
    ['ChatError alone', 'ChatError'],
    ['the selectors alone', 'select, activeThread, chatEvents, chatList, currentGreeting, getEvent, orderToArray, pendingUploads, queuePosition, typingUsers, unreadCount'],
  ] as const) {
    const kib = await part(names)
    row(`${label} (gzip)`, kib, gzip.theirs, 'KiB')
    record({ section: 'size', metric: `${label}, from the SDK's entry (min+gzip)`, unit: 'KiB', rapport: kib, official: gzip.theirs })
  }
}

// ---------------------------------------------------------------- state
const event = (i: number, thread: string): ChatEvent => ({
  id: `${thread}_${i}`,
  type: 'message',
  text: `message ${i}`,
  authorId: i % 2 ? 'agent' : 'customer',
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('Z', '000Z'),
  threadId: thread,
  properties: {},
})
const incoming = (i: number, thread = 'T1'): ChatAction => ({ type: 'incoming_event', payload: { chatId: 'C1', event: event(i, thread) } })

/** The obvious design: one chat object holding an array of events, one immutable update per push. */
type NaiveState = { chats: Record<string, { events: ChatEvent[] }> }
const naiveAppend = (state: NaiveState, e: ChatEvent): NaiveState =>
  produce(state, (draft) => {
    const chat = (draft.chats.C1 ??= { events: [] })
    if (!chat.events.some((x) => x.id === e.id)) chat.events.push(e)
  })

const state = async (): Promise<void> => {
  console.log('\n# Folding pushes into chat state — baseline: an event array per chat, one immer update per push')
  const history = Array.from({ length: 10_000 }, (_, i) => incoming(i))
  const big = chatReducer(initialChatState, history)
  let naiveBig: NaiveState = { chats: {} }
  naiveBig = produce(naiveBig, (d) => void (d.chats.C1 = { events: history.map((a) => (a.type === 'incoming_event' ? a.payload.event : event(0, 'x'))) }))
  const burst = Array.from({ length: 100 }, (_, i) => incoming(10_000 + i))

  // the naive baseline's burst takes a second or more per call: a quick run settles for
  // fewer calls than tinybench's 16 warm-up and 64 measured ones
  const bench = new Bench({ time: 500, ...(!full && { iterations: 10, warmupIterations: 2 }) })
  bench
    .add('ours: burst of 100 into a 10k-event chat', () => {
      chatReducer(big, burst)
    })
    .add('baseline: burst of 100 into a 10k-event chat', () => {
      let s = naiveBig
      for (const a of burst) if (a.type === 'incoming_event') s = naiveAppend(s, a.payload.event)
    })
    .add('ours: one push into a 10k-event chat', () => {
      chatReducer(big, [incoming(20_000)])
    })
    .add('baseline: one push into a 10k-event chat', () => {
      naiveAppend(naiveBig, event(20_000, 'T1'))
    })
  await bench.run()
  const mean = (name: string) => (bench.tasks.find((t) => t.name === name)?.result as { latency?: { mean: number } } | undefined)?.latency?.mean ?? Number.NaN
  row('burst of 100 pushes, 10k events held (mean)', mean('ours: burst of 100 into a 10k-event chat'), mean('baseline: burst of 100 into a 10k-event chat'), 'ms')
  row('one push, 10k events held (mean)', mean('ours: one push into a 10k-event chat'), mean('baseline: one push into a 10k-event chat'), 'ms')
}

// ---------------------------------------------------------------- frames
const frames = async (): Promise<void> => {
  console.log('\n# Decoding and parsing pushes — baseline: JSON.parse alone (the floor)')
  const texts = Array.from({ length: 1_000 }, (_, i) =>
    JSON.stringify({
      version: '3.6',
      action: 'incoming_event',
      type: 'push',
      payload: { chat_id: 'C1', thread_id: 'T1', event: { id: `E${i}`, type: 'message', text: `hello ${i}`, author_id: 'a', created_at: '2026-01-01T00:00:00.000000Z', recipients: 'all' } },
    }),
  )
  const bench = new Bench({ time: 500 })
  bench
    .add('ours', () => {
      for (const text of texts) {
        const frame = decodeServerFrame(text)
        if (frame?.type === 'push') parsePush(frame.action, frame.payload)
      }
    })
    .add('baseline', () => {
      for (const text of texts) JSON.parse(text)
    })
  await bench.run()
  const mean = (name: string) => (bench.tasks.find((t) => t.name === name)?.result as { latency?: { mean: number } } | undefined)?.latency?.mean ?? Number.NaN
  row('1000 incoming_event frames (mean)', mean('ours'), mean('baseline'), 'ms')
  record({ section: 'frames', metric: 'decode + parse 1000 incoming_event frames', unit: 'ms', rapport: mean('ours'), other: { label: 'JSON.parse', value: mean('baseline') } })
}

console.log(`# ${full ? 'full' : 'quick'} run; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const sections: Record<string, () => Promise<void>> = {
  size,
  state,
  frames,
  throughput: () =>
    throughput({
      count: Number(process.env.BENCH_PUSHES ?? 20_000),
      repetitions: Number(process.env.BENCH_REPS ?? (full ? 5 : 3)),
      limitMs: Number(process.env.BENCH_LIMIT_S ?? (full ? 60 : 20)) * 1000,
    }),
  append: () => appendCost(full ? { pushes: 200, round: 25, warmup: 20 } : { pushes: 50, round: 10, warmup: 5 }),
  burst: () => burst({ repetitions: full ? 5 : 3 }),
  memory: () => memory({ clients: 500, repetitions: full ? 5 : 3 }),
  startup: () => startup(full ? { repetitions: 5, warmups: 10, samples: 50 } : { repetitions: 3, warmups: 5, samples: 20 }),
  scale: () =>
    scale({ customers: Number(process.env.BENCH_SCALE_CLIENTS ?? (full ? 1_000 : 300)), repetitions: full ? 3 : 1, send: process.env.BENCH_SCALE_SEND !== '0', holdMs: full ? 30_000 : 5_000 }),
  storm: () => storm({ clients: Number(process.env.BENCH_CLIENTS ?? (full ? 1_000 : 300)), repetitions: full ? 3 : 1, outageMs: 3_000, storage: process.env.BENCH_STORM_STORAGE === 'memory' ? 'memory' : 'sqlite' }),
  rtt: () => rtt({ count: Number(process.env.BENCH_SENDS ?? 1_000), repetitions: full ? 5 : 1 }),
}
const startedAt = new Date().toISOString()
const ran: string[] = []
for (const [name, section] of Object.entries(sections)) {
  if (only && !only.has(name)) continue
  const start = performance.now()
  await section()
  ran.push(name)
  console.log(`  (${name}: ${((performance.now() - start) / 1000).toFixed(0)} s)`)
}
console.log(`\n# Summary\n\n${summaryTable()}\n`)
console.log(`results: ${writeResults({ full, startedAt, sections: ran })}latest.json, ratios.svg`)
