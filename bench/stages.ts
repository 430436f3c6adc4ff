/**
 * The incoming path's stages, timed one by one over N frames in this process (a
 * development aid, not part of `pnpm bench`): `tsx --conditions=@rapport/source stages.ts [N] [passes]`.
 * Pass 1 is cold (fresh process); later passes are warm. Times are this process's CPU time.
 */
import { type ChatAction, reduceBatch, initialChatState } from '@rapport/core'
import { decodeServerFrame, parsePushChecked } from '@rapport/protocol'
import { incomingEventFrame } from './benchFrames'
import { connectToFakeSocket } from './rapportClient'

/** Profiles until the returned function is called with a file name (`STAGES_PROFILE=file.cpuprofile`). */
const startProfile = async (): Promise<(file: string) => Promise<void>> => {
  const { Session } = await import('node:inspector/promises')
  const { writeFileSync } = await import('node:fs')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 50 })
  await session.post('Profiler.start')
  return async (file) => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

const n = Number(process.argv[2] ?? 20_000)
const passes = Number(process.argv[3] ?? 3)
const stage = process.argv[4] ?? 'all'
const BATCH = 250
/** CPU time of this process, in ms (less disturbed than wall time when the machine is busy). */
const performance = { now: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 } }
for (let pass = 0; pass < passes; pass++) {
  const frames = Array.from({ length: n }, (_, i) => incomingEventFrame(pass * n + i))
  const times: Record<string, number> = {}
  let t = performance.now()
  let parsedFrames: ReturnType<typeof decodeServerFrame>[] = []
  if (stage === 'all' || stage === 'json') {
    for (const f of frames) JSON.parse(f)
    times.json = performance.now() - t
    t = performance.now()
  }
  if (stage === 'clientOnly') parsedFrames = []
  else parsedFrames = frames.map((f) => decodeServerFrame(f))
  times.decode = performance.now() - t
  t = performance.now()
  const actions: ChatAction[] = []
  for (const frame of parsedFrames) {
    if (frame?.type !== 'push') continue
    const r = parsePushChecked(frame.action, frame.payload)
    if (r.ok) for (const e of r.events) actions.push(e)
  }
  times.parse = performance.now() - t
  t = performance.now()
  let state = initialChatState
  for (let i = 0; i < actions.length; i += BATCH) state = reduceBatch(state, actions.slice(i, i + BATCH))
  times.fold = performance.now() - t
  if (stage === 'all' || stage === 'client' || stage === 'clientOnly') {
    const { client, receive } = await connectToFakeSocket()
    let emitted = 0
    client.onIncomingEvent(() => void emitted++)
    const profiler = process.env.STAGES_PROFILE ? await startProfile() : null
    t = performance.now()
    for (let i = 0; i < frames.length; i += BATCH) {
      for (let j = i; j < Math.min(i + BATCH, frames.length); j++) receive(frames[j] as string)
      await new Promise((r) => setImmediate(r))
    }
    times.client = performance.now() - t
    await profiler?.(process.env.STAGES_PROFILE as string)
    if (emitted !== n) console.log('emitted', emitted)
    client.destroy()
  }
  console.log(`pass ${pass + 1}: ` + Object.entries(times).map(([k, v]) => `${k} ${v.toFixed(1)} ms (${((v / n) * 1000).toFixed(2)} µs)`).join(', '))
}
