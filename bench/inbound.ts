/**
 * Pushes through the real inbound path of a Rapport client (fake socket → RTM client →
 * parse → store → listeners), in this process. A client is pre-loaded with one
 * `incoming_chat` push whose thread holds the events (one batch, one commit), then fed
 * `incoming_event` frames for the same chat and thread.
 *
 * - append cost: one push per tick, each awaited until the store notifies (its own
 *   commit), with 1,000 events held and with 100,000 held, interleaved;
 * - burst: 100 pushes delivered in one tick into a client holding 10,000 events, against
 *   the same 100 delivered one per tick.
 */
import { performance } from 'node:perf_hooks'
import { incomingChatFrame, incomingEventFrame } from './benchFrames'
import { type BenchClient, connectToFakeSocket } from './rapportClient'
import { mean, median, row } from './report'
import { record } from './results'

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

interface Loaded {
  client: BenchClient
  receive(frame: string): void
  /** Index of the next event to push. */
  next: number
}

const waitFor = async (condition: () => boolean, what: string, ms = 120_000): Promise<void> => {
  const until = performance.now() + ms
  while (!condition()) {
    if (performance.now() > until) throw new Error(`bench: timed out waiting for ${what}`)
    await tick()
  }
}

/** A logged-in client holding `count` events of chat C1, thread T1. */
const preload = async (count: number): Promise<Loaded> => {
  const { client, receive } = await connectToFakeSocket()
  receive(incomingChatFrame(count))
  await waitFor(() => client.heldEvents() === count, `${count} events to be held`)
  // let the notifications of the pre-load pass
  for (let i = 0; i < 3; i++) await tick()
  return { client, receive, next: count }
}

/** Resolves at the next store notification. */
const nextNotification = (client: BenchClient, ms = 60_000): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error('bench: no store notification after a push'))
    }, ms)
    const unsubscribe = client.subscribe(() => {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    })
  })

/** One push, timed from delivery to the store's notification; then one more tick. */
const pushOne = async (loaded: Loaded): Promise<number> => {
  const frame = incomingEventFrame(loaded.next++)
  const notified = nextNotification(loaded.client)
  const start = performance.now()
  loaded.receive(frame)
  await notified
  const ms = performance.now() - start
  await tick()
  return ms
}

export const appendCost = async ({ pushes = 200, round = 25, warmup = 20 } = {}): Promise<void> => {
  console.log('\n# Appending one incoming event (one push per tick, through the real inbound path) — baseline: the same client code holding 1,000 events; target ratio ≤ 1.5')
  const small = await preload(1_000)
  const large = await preload(100_000)
  for (let i = 0; i < warmup; i++) {
    await pushOne(small)
    await pushOne(large)
  }
  const times = { small: [] as number[], large: [] as number[] }
  for (let done = 0; done < pushes; done += round) {
    for (let i = 0; i < round; i++) times.small.push(await pushOne(small))
    for (let i = 0; i < round; i++) times.large.push(await pushOne(large))
  }
  const heldSmall = small.client.heldEvents()
  const heldLarge = large.client.heldEvents()
  small.client.destroy()
  large.client.destroy()
  row('one push, 100k held vs 1k held (mean)', mean(times.large) * 1000, mean(times.small) * 1000, 'µs')
  row('one push, 100k held vs 1k held (median)', median(times.large) * 1000, median(times.small) * 1000, 'µs')
  record({
    section: 'append',
    metric: 'append one event with 100k held (mean)',
    unit: 'µs',
    rapport: mean(times.large) * 1000,
    other: { label: '1k held', value: mean(times.small) * 1000 },
    target: { against: 'other', max: 1.5 },
  })
  if (heldSmall !== small.next || heldLarge !== large.next)
    console.log(`  odd: the states hold ${heldSmall} and ${heldLarge} events, expected ${small.next} and ${large.next}`)
}

interface BurstRun {
  ms: number
  notifications: number
  emitted: number
  held: number
}

const burstRun = async (mode: 'burst' | 'ticks', count: number, held: number): Promise<BurstRun> => {
  const loaded = await preload(held)
  const frames = Array.from({ length: count }, () => incomingEventFrame(loaded.next++))
  let notifications = 0
  let emitted = 0
  let last = 0
  const unsubscribe = loaded.client.subscribe(() => {
    notifications++
    last = performance.now()
  })
  const unlisten = loaded.client.onIncomingEvent(() => void emitted++)
  const start = performance.now()
  if (mode === 'burst') for (const frame of frames) loaded.receive(frame)
  else
    for (const frame of frames) {
      loaded.receive(frame)
      await tick()
    }
  // notifications still queued run before these ticks end (the time is the last one's)
  for (let i = 0; i < 5; i++) await tick()
  unsubscribe()
  unlisten()
  const result = { ms: last - start, notifications, emitted, held: loaded.client.heldEvents() }
  loaded.client.destroy()
  return result
}

export const burst = async ({ repetitions = 5, count = 100, held = 10_000 } = {}): Promise<void> => {
  console.log(
    `\n# A burst of ${count} pushes in one tick into a client holding ${held / 1000}k events — baseline: the same ${count} pushes one per tick; target: 1 notification` +
      ` (commits are not observable from outside the store; each commit that changes the state notifies once)`,
  )
  const runs = { burst: [] as BurstRun[], ticks: [] as BurstRun[] }
  for (let rep = 0; rep < repetitions; rep++) {
    runs.burst.push(await burstRun('burst', count, held))
    runs.ticks.push(await burstRun('ticks', count, held))
  }
  const notifications = (list: BurstRun[]) => median(list.map((r) => r.notifications))
  row(`burst of ${count}, ${held / 1000}k held: store notifications`, notifications(runs.burst), notifications(runs.ticks), 'calls')
  row(`burst of ${count}, ${held / 1000}k held: to last notification`, median(runs.burst.map((r) => r.ms)), median(runs.ticks.map((r) => r.ms)), 'ms')
  record({
    section: 'burst',
    metric: `store notifications for ${count} pushes in one tick`,
    unit: 'calls',
    rapport: notifications(runs.burst),
    other: { label: 'one push per tick', value: notifications(runs.ticks) },
    note: 'target: 1',
  })
  const spread = (list: BurstRun[], key: 'notifications' | 'emitted' | 'held') => {
    const values = [...new Set(list.map((r) => r[key]))].sort((a, b) => a - b)
    return values.length === 1 ? String(values[0]) : `${values[0]}–${values.at(-1)}`
  }
  console.log(
    `  burst: ${spread(runs.burst, 'notifications')} notifications, ${spread(runs.burst, 'emitted')} events emitted, ${spread(runs.burst, 'held')} held;` +
      ` one per tick: ${spread(runs.ticks, 'notifications')} notifications, ${spread(runs.ticks, 'emitted')} emitted, ${spread(runs.ticks, 'held')} held (expected ${count} emitted, ${held + count} held)`,
  )
}
