/**
 * One run of the scale benchmark, in a fresh process (forked by scale.ts with
 * --expose-gc): `node scaleClient.ts <kind> <serverUrl> <N> <send: 0|1> <holdMs>`.
 *
 * N synthetic customers of one kind against the local server, each a new customer: it
 * gets a token from the token endpoint (cookie grant), opens its socket and logs in; with
 * `send`, it then starts a chat and sends one message in it. Kinds:
 * - `rapport`: the customer client of @rapport/node (createCustomerClient on the Node Env,
 *   memory storage each), from a bundle of @rapport/node as a bundler ships it (scale.ts
 *   builds it; its path in `RAPPORT_BENCH_NODE`);
 * - `ws`: a raw `ws` socket per customer doing the same requests by hand (the floor).
 *
 * Like memoryClient.ts: one customer first (so that loading the code is not counted), gc,
 * read heap and RSS; then the N, 50 at a time; all of them held connected for `holdMs`
 * (over the 15 s ping interval, every connection's heartbeat runs); gc, read again. Every error
 * counts: a customer not connected in time, a connection lost or given up, a rejected
 * request, a diagnostic (a frame the client dropped), an uncaught exception. Answers
 * `{type:'result', …}` (ScaleResult).
 */
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { collect } from './children'
import { loadWs } from './benchFrames'
import { SCALE_NODE_MODULE } from './scale'

const [kind = '', serverUrl = '', countText = '300', sendText = '1', holdText = '1000'] = process.argv.slice(2)
const n = Number(countText)
const sendMessage = sendText === '1'
const holdMs = Number(holdText)
const ORGANIZATION_ID = 'scale-org'
const BATCH = 50
const CONNECT_TIMEOUT_MS = 60_000

export interface ScaleResult {
  type: 'result'
  kind: string
  customers: number
  /** Customers connected (logged in) at the end. */
  connected: number
  /** Messages the server confirmed. */
  sent: number
  errors: number
  /** Up to 5 distinct error texts, with how many of each. */
  errorSamples: Record<string, number>
  /** Heap used and RSS per customer, KB (1,000 bytes), after gc. */
  heapKB: number
  rssKB: number
  /** Connecting (and sending, with `send`) all N, 50 at a time. */
  connectMs: number
}

let errors = 0
const errorSamples: Record<string, number> = {}
const fail = (text: string): void => {
  errors++
  if (text in errorSamples || Object.keys(errorSamples).length < 5) errorSamples[text] = (errorSamples[text] ?? 0) + 1
}
const describe = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}
process.on('uncaughtException', (error) => fail(`uncaught: ${describe(error)}`))
process.on('unhandledRejection', (error) => fail(`unhandled rejection: ${describe(error)}`))

interface Customer {
  /** Resolves once logged in (and, with `send`, once the message is confirmed); never rejects (errors are counted). */
  readonly ready: Promise<void>
  isConnected(): boolean
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })

let sent = 0

const prepareRapport = async (): Promise<(i: number) => Customer> => {
  const module = process.env[SCALE_NODE_MODULE]
  const node = (module ? await import(pathToFileURL(module).href) : await import('@rapport/node')) as Pick<typeof import('@rapport/node'), 'createCustomerClient' | 'createNodeEnv'>
  const keep: unknown[] = []
  ;(globalThis as { keep?: unknown }).keep = keep
  return (i) => {
    const client = node.createCustomerClient({ organizationId: ORGANIZATION_ID, clientId: 'bench', serverUrl, environment: node.createNodeEnv() })
    keep.push(client)
    let wasConnected = false
    client.diagnostics$.subscribe((diagnostic) => fail(`diagnostic: ${JSON.stringify(diagnostic).slice(0, 120)}`))
    client.connection.subscribe(() => {
      const { status, reason } = client.connection.getSnapshot()
      if (status === 'connected') wasConnected = true
      else if (wasConnected || status === 'paused' || status === 'destroyed') fail(`${status}${reason ? ` (${reason})` : ''}`)
    })
    const ready = (async () => {
      await within(client.whenStatus('connected'), CONNECT_TIMEOUT_MS, 'connect')
      if (!sendMessage) return
      const { chat } = await client.startChat()
      await client.sendEvent({ chatId: chat.id, event: { type: 'message', text: `hello from customer ${i}` } })
      sent++
    })().catch((error: unknown) => fail(describe(error)))
    return { ready, isConnected: () => client.status === 'connected' }
  }
}

const prepareWs = (): ((i: number) => Customer) => {
  const { WebSocket } = loadWs()
  const rtmUrl = `${serverUrl.replace(/^http/, 'ws')}/v3.6/customer/rtm/ws?organization_id=${ORGANIZATION_ID}`
  const keep: unknown[] = []
  ;(globalThis as { keep?: unknown }).keep = keep
  return (i) => {
    let open = false
    let lost = false
    const ready = (async () => {
      const response = await fetch(`${serverUrl}/v2/customer/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ grant_type: 'cookie', client_id: 'bench', response_type: 'token', organization_id: ORGANIZATION_ID }),
      })
      const token = (await response.json()) as { access_token?: string; token_type?: string }
      if (!response.ok || !token.access_token) throw new Error(`token: ${response.status}`)
      const socket = new WebSocket(rtmUrl)
      keep.push(socket)
      const pending = new Map<string, { resolve(payload: Record<string, unknown>): void; reject(error: Error): void }>()
      let next = 0
      const request = (action: string, payload: object): Promise<Record<string, unknown>> =>
        within(
          new Promise((resolve, reject) => {
            const id = String(++next)
            pending.set(id, { resolve, reject })
            socket.send(JSON.stringify({ action, request_id: id, payload }))
          }),
          CONNECT_TIMEOUT_MS,
          action,
        )
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type?: string; request_id?: string; success?: boolean; payload?: Record<string, unknown> }
        if (frame.type !== 'response' || frame.request_id === undefined) return
        const waiter = pending.get(frame.request_id)
        pending.delete(frame.request_id)
        if (frame.success) waiter?.resolve(frame.payload ?? {})
        else waiter?.reject(new Error(JSON.stringify(frame.payload?.error ?? frame.payload).slice(0, 120)))
      })
      socket.on('close', () => {
        if (open && !lost) fail('socket closed')
        lost = true
        open = false
      })
      await within(
        new Promise<void>((resolve, reject) => {
          socket.on('open', () => resolve())
          socket.on('error', reject)
        }),
        CONNECT_TIMEOUT_MS,
        'open',
      )
      await request('login', { token: `${token.token_type ?? 'Bearer'} ${token.access_token}` })
      open = true
      // the platform closes a socket without a ping for long; every client pings
      const ping = setInterval(() => void request('ping', {}).catch((error: unknown) => fail(`ping: ${describe(error)}`)), 15_000)
      socket.on('close', () => clearInterval(ping))
      if (!sendMessage) return
      const started = await request('start_chat', {})
      const chatId = started.chat_id
      if (typeof chatId !== 'string') throw new Error('start_chat: no chat_id')
      await request('send_event', { chat_id: chatId, event: { type: 'message', text: `hello from customer ${i}` } })
      sent++
    })().catch((error: unknown) => fail(describe(error)))
    return { ready, isConnected: () => open }
  }
}

const create = kind === 'rapport' ? await prepareRapport() : kind === 'ws' ? prepareWs() : null
if (!create) throw new Error(`unknown kind ${kind}`)
// one customer first: loading and first use of the code are not counted
const first = create(-1)
await first.ready
await new Promise((resolve) => setTimeout(resolve, 200))
const sentBefore = sent
await collect()
const before = process.memoryUsage()
const start = performance.now()
const customers: Customer[] = [first]
for (let i = 0; i < n; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => create(i + j))
  customers.push(...batch)
  await Promise.all(batch.map((c) => c.ready))
}
const connectMs = performance.now() - start
// held: whatever a connected customer sets up after login (catch-up, timers) has happened,
// and with a hold over the ping interval each heartbeat has run
await new Promise((resolve) => setTimeout(resolve, holdMs))
await collect()
const after = process.memoryUsage()
const connected = customers.slice(1).filter((c) => c.isConnected()).length
if (connected < n) fail(`${n - connected} not connected at the end`)
process.send?.({
  type: 'result',
  kind,
  customers: n,
  connected,
  sent: sent - sentBefore,
  errors,
  errorSamples,
  heapKB: (after.heapUsed - before.heapUsed) / n / 1000,
  rssKB: (after.rss - before.rss) / n / 1000,
  connectMs,
} satisfies ScaleResult)
