/**
 * One client of the round-trip benchmark, in a fresh process (forked by rtt.ts):
 * `node rttClient.ts <kind> <serverUrl> <N>`.
 *
 * Every kind gets a real customer token from the local server's token endpoint, logs in,
 * starts one chat and then sends N messages into it one after the other, timing each
 * from just before the send to its answer, in this process:
 *
 * - `ws`: a raw `ws` socket; `send_event` (with a `custom_id`, as Rapport sends it)
 *   → its response. The time to the `incoming_event` push carrying the request id (what
 *   both SDKs wait for: `send_event` is answered indirectly) is reported beside it.
 * - `livechat`: @livechat/customer-sdk 4.0.2's `sendEvent` → its promise resolved.
 * - `rapport`: Rapport's `sendEvent` → its promise resolved; also how many store
 *   notifications (commits that changed the state) the N sends cost.
 *
 * Answers the parent with one message: `{type:'result', times, pushTimes?, commits?}`
 * (milliseconds per send, in sending order), or `{type:'result', error}`.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { ORGANIZATION_ID, loadWs } from './benchFrames'

const [kind = '', serverUrl = '', countText = '1000'] = process.argv.slice(2)
const n = Number(countText)

export interface RttResult {
  type: 'result'
  /** Milliseconds per send, in order. */
  times?: number[]
  /** Raw ws only: milliseconds from each send to the push carrying its request id. */
  pushTimes?: number[]
  /** Rapport only: store notifications during the N sends. */
  commits?: number
  error?: string
}

const report = (result: Omit<RttResult, 'type'>): void => {
  process.send?.({ type: 'result', ...result } satisfies RttResult, () => process.exit(0))
}
process.on('uncaughtException', (error) => report({ error: String(error) }))
process.on('unhandledRejection', (error) => report({ error: String(error) }))

const text = (i: number): string => `message ${i}`

interface Token {
  access_token: string
  entity_id: string
  expires_in: number
  token_type: string
  organization_id: string
}

/** A new customer's token, from the server's token endpoint (http.md §2.1). */
const fetchToken = async (): Promise<Token> => {
  const response = await fetch(`${serverUrl}/v2/customer/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'cookie', client_id: 'bench', response_type: 'token', organization_id: ORGANIZATION_ID }),
  })
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`)
  return (await response.json()) as Token
}

const rtmPath = `/v3.6/customer/rtm/ws?organization_id=${ORGANIZATION_ID}`

const runWs = async (): Promise<void> => {
  const token = await fetchToken()
  const { WebSocket } = loadWs()
  const socket = new WebSocket(serverUrl.replace(/^http/, 'ws') + rtmPath)
  const times: number[] = []
  const pushTimes: number[] = []
  let chatId = ''
  let i = 0
  let sentAt = 0
  let answered = false
  let pushed = false
  const next = (): void => {
    if (i === n) return report({ times, pushTimes })
    answered = false
    pushed = false
    sentAt = performance.now()
    socket.send(JSON.stringify({ action: 'send_event', request_id: `s${i}`, payload: { chat_id: chatId, event: { type: 'message', text: text(i), custom_id: `ws_${i}` } } }))
  }
  socket.on('open', () => socket.send(JSON.stringify({ action: 'login', request_id: 'login', payload: { token: `${token.token_type} ${token.access_token}` } })))
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type?: string; action?: string; request_id?: string; success?: boolean; payload?: { chat?: { id?: string } } }
    if (frame.type === 'response' && frame.success === false) return report({ error: `${frame.action} failed: ${data.toString().slice(0, 200)}` })
    if (frame.request_id === 'login' && frame.type === 'response') return void socket.send(JSON.stringify({ action: 'start_chat', request_id: 'start', payload: {} }))
    if (frame.request_id === 'start' && frame.action === 'incoming_chat') {
      chatId = frame.payload?.chat?.id ?? ''
      return next()
    }
    if (frame.request_id !== `s${i}`) return
    const now = performance.now()
    if (frame.type === 'response') {
      answered = true
      times.push(now - sentAt)
    } else if (frame.action === 'incoming_event') {
      pushed = true
      pushTimes.push(now - sentAt)
    }
    if (answered && pushed) {
      i++
      next()
    }
  })
}

const runLivechat = async (): Promise<void> => {
  const wire = await fetchToken()
  // 4.0.2 builds its socket URL from the platform's hosts and uses the global WebSocket:
  // give it one (Node 20 has none) that keeps path and query but goes to the local server
  const { WebSocket } = loadWs()
  const local = new URL(serverUrl)
  ;(globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      const target = new URL(url)
      target.protocol = 'ws:'
      target.host = local.host
      super(target.toString())
    }
  }
  // startChat logs a usage event with a browser tracking pixel (`new Image()`): a stub
  // that loads nothing (no request leaves this machine)
  ;(globalThis as { Image?: unknown }).Image = class {
    src = ''
    onload: (() => void) | null = null
    onerror: (() => void) | null = null
  }
  process.env.NODE_ENV ??= 'production'
  const { init } = createRequire(import.meta.url)('@livechat/customer-sdk') as {
    init(config: object): {
      on(name: string, listener: () => void): void
      startChat(params?: object): Promise<{ chat: { id: string } }>
      sendEvent(params: { chatId: string; event: { type: 'message'; text: string } }): Promise<unknown>
    }
  }
  const token = {
    accessToken: wire.access_token,
    entityId: wire.entity_id,
    expiresIn: wire.expires_in * 1000,
    tokenType: wire.token_type,
    creationDate: Date.now(),
    organizationId: wire.organization_id,
  }
  const sdk = init({
    organizationId: ORGANIZATION_ID,
    clientId: 'bench',
    identityProvider: () => ({ getToken: async () => token, getFreshToken: async () => token, hasToken: async () => true, invalidate: async () => {} }),
  })
  let started = false
  sdk.on('connected', () => {
    if (started) return
    started = true
    void (async () => {
      const { chat } = await sdk.startChat()
      const times: number[] = []
      for (let i = 0; i < n; i++) {
        const sentAt = performance.now()
        await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: text(i) } })
        times.push(performance.now() - sentAt)
      }
      report({ times })
    })().catch((error: unknown) => report({ error: String(error) }))
  })
}

const runRapport = async (): Promise<void> => {
  // loaded here only, so that the other kinds' processes do not hold Rapport's code
  const { connectToServer, connectVanillaToServer } = await import('./rapportClient')
  // the documented init() as a bundler ships it (see buildVanilla), else the source
  const built = process.env.RAPPORT_BENCH_VANILLA
  const client = built ? await connectVanillaToServer(serverUrl, built) : await connectToServer(serverUrl)
  const chatId = await client.startChat()
  let commits = 0
  const unsubscribe = client.subscribe(() => void commits++)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const sentAt = performance.now()
    await client.sendMessage(chatId, text(i))
    times.push(performance.now() - sentAt)
  }
  unsubscribe()
  report({ times, commits })
}

try {
  if (kind === 'ws') await runWs()
  else if (kind === 'livechat') await runLivechat()
  else if (kind === 'rapport') await runRapport()
  else report({ error: `unknown kind ${kind}` })
} catch (error) {
  report({ error: String(error) })
}
