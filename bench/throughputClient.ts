/**
 * One client of the incoming-throughput benchmark, in a fresh process (forked by
 * throughput.ts): `node throughputClient.ts <kind> <serverUrl> <N> <limitMs>`.
 *
 * kinds: `ws` (a raw `ws` socket that JSON.parses each frame and counts the pushes),
 * `livechat` (@livechat/customer-sdk 4.0.2, counting its `incoming_event` events; it
 * keeps no events in its state), `rapport` (the documented `init()` of
 * @rapport/customer-sdk as a bundler ships it — the build named by RAPPORT_BENCH_VANILLA —
 * or, without it, createCustomerClient from source; counting its `incoming_event` events,
 * then reading how many events its state holds).
 *
 * Each logs in, then sends `get_customer`, the stub's cue to push N events. The time is
 * taken in this process, the same way for every kind: from just before that request is
 * sent to the N-th event counted (for Rapport, plus reading the state once). It stops
 * at `limitMs` and reports how far it got. Answers the parent with one message:
 * `{type:'result', finished, count, ms, held?}`.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { CUSTOMER_ID, ORGANIZATION_ID, loadWs } from './benchFrames'

const [kind = '', serverUrl = '', countText = '0', limitText = '60000'] = process.argv.slice(2)
const n = Number(countText)
const limitMs = Number(limitText)

export interface ClientResult {
  type: 'result'
  finished: boolean
  count: number
  ms: number
  held?: number
  error?: string
}

let start = 0
let count = 0
let reported = false
const report = (result: Omit<ClientResult, 'type' | 'count'>): void => {
  if (reported) return
  reported = true
  process.send?.({ type: 'result', count, ...result } satisfies ClientResult, () => process.exit(0))
}
/** Counts one event; true when it was the N-th. Stops the run once past the limit. */
const counted = (): boolean => {
  if (reported) return false
  count++
  if (count === n) return true
  if (start > 0 && performance.now() - start > limitMs) report({ finished: false, ms: performance.now() - start })
  return false
}
const begin = (): void => {
  process.send?.({ type: 'started' })
  start = performance.now()
}
// frames may stop coming (a stalled client): the limit still holds
setInterval(() => {
  if (start > 0 && performance.now() - start > limitMs) report({ finished: false, ms: performance.now() - start })
}, 250).unref()
process.on('uncaughtException', (error) => report({ finished: false, ms: start ? performance.now() - start : 0, error: String(error) }))

const rtmPath = `/v3.6/customer/rtm/ws?organization_id=${ORGANIZATION_ID}`

const runWs = (): void => {
  const { WebSocket } = loadWs()
  const socket = new WebSocket(serverUrl.replace(/^http/, 'ws') + rtmPath)
  socket.on('open', () => socket.send(JSON.stringify({ action: 'login', request_id: 'login', payload: { token: 'Bearer dal:bench' } })))
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type?: string; action?: string }
    if (frame.type === 'response') {
      if (frame.action === 'login') {
        begin()
        socket.send(JSON.stringify({ action: 'get_customer', request_id: 'go', payload: {} }))
      }
      return
    }
    if (frame.action === 'incoming_event' && counted()) report({ finished: true, ms: performance.now() - start })
  })
}

const runLivechat = (): void => {
  // 4.0.2 builds its socket URL from the platform's hosts and uses the global WebSocket:
  // give it one (Node 20 has none) that keeps path and query but goes to the stub
  const { WebSocket } = loadWs()
  const stub = new URL(serverUrl)
  ;(globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      const target = new URL(url)
      target.protocol = 'ws:'
      target.host = stub.host
      super(target.toString())
    }
  }
  process.env.NODE_ENV ??= 'production'
  const { init } = createRequire(import.meta.url)('@livechat/customer-sdk') as {
    init(config: object): { on(name: string, listener: () => void): void; getCustomer(): Promise<unknown> }
  }
  const token = { accessToken: 'dal:bench', entityId: CUSTOMER_ID, expiresIn: 28_800_000, tokenType: 'Bearer', creationDate: Date.now(), organizationId: ORGANIZATION_ID }
  const sdk = init({
    organizationId: ORGANIZATION_ID,
    clientId: 'bench',
    identityProvider: () => ({ getToken: async () => token, getFreshToken: async () => token, hasToken: async () => true, invalidate: async () => {} }),
  })
  let triggered = false
  sdk.on('connected', () => {
    if (triggered) return
    triggered = true
    begin()
    sdk.getCustomer().catch(() => {})
  })
  sdk.on('incoming_event', () => {
    if (counted()) report({ finished: true, ms: performance.now() - start })
  })
}

const runRapport = async (): Promise<void> => {
  // loaded here only, so that the other kinds' processes do not hold Rapport's code
  const { connectToServer, connectVanillaToServer } = await import('./rapportClient')
  const built = process.env.RAPPORT_BENCH_VANILLA
  const client = built ? await connectVanillaToServer(serverUrl, built) : await connectToServer(serverUrl)
  client.onIncomingEvent(() => {
    if (!counted()) return
    const held = client.heldEvents()
    report({ finished: held === n, ms: performance.now() - start, held })
  })
  begin()
  client.trigger().catch(() => {})
}

if (kind === 'ws') runWs()
else if (kind === 'livechat') runLivechat()
else if (kind === 'rapport') await runRapport()
else report({ finished: false, ms: 0, error: `unknown kind ${kind}` })
