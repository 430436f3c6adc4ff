/**
 * The clients of the reconnect-storm benchmark, all in one fresh process (forked by
 * storm.ts): `node stormClient.ts <kind> <serverUrl> <N>`.
 *
 * kinds: `rapport` (customer clients on the Node Env of `@rapport/node`, default
 * connection policy), `livechat` (@livechat/customer-sdk 4.0.2, its default backoff, with
 * an identity provider that asks the local server's token endpoint and a WebSocket that
 * goes to the local server).
 *
 * Every WebSocket a client opens is counted before it exists (refused attempts while the
 * server is down count too), with its time (epoch ms, `performance.timeOrigin`-based so
 * that the parent's times compare). Messages to the parent:
 * - `{type:'all', at}` each time every client is connected again after some were not;
 * - `{type:'report', …}` (StormReport) when the parent sends `{type:'report'}`.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { ORGANIZATION_ID, loadWs } from './benchFrames'

const [kind = '', serverUrl = '', countText = '0'] = process.argv.slice(2)
const n = Number(countText)

export interface StormReport {
  type: 'report'
  /** Time of each WebSocket opened, epoch ms. */
  attempts: number[]
  /** Time of each client's connection loss, epoch ms. */
  drops: number[]
  /** Clients connected now. */
  connected: number
  /** Clients that stopped trying (Rapport: `paused` or `destroyed`; 4.0.2: `disconnected` for a reason other than a lost connection). */
  gaveUp: number
  /** Why they gave up, with how many each. */
  reasons: Record<string, number>
  error?: string
}

export type StormMessage = { type: 'all'; at: number } | StormReport

const now = (): number => performance.timeOrigin + performance.now()
const attempts: number[] = []
const drops: number[] = []
const countAttempt = (): void => void attempts.push(now())
const send = (message: StormMessage): void => void process.send?.(message)

let connected = 0
let gaveUp = 0
let lastError: string | undefined
const reasons: Record<string, number> = {}
/** One client's connection, reported as it changes: counts the clients connected and those that gave up. */
const tracker = () => {
  let isConnected = false
  let stopped = false
  return {
    set(up: boolean): void {
      if (up === isConnected) return
      isConnected = up
      connected += up ? 1 : -1
      if (!up) drops.push(now())
      if (up && connected === n) send({ type: 'all', at: now() })
    },
    giveUp(reason: string): void {
      this.set(false)
      if (stopped) return
      stopped = true
      gaveUp++
      reasons[reason] = (reasons[reason] ?? 0) + 1
    },
  }
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'exit') process.exit(0) // lets a --cpu-prof run write its profile
  if (message.type === 'report') send({ type: 'report', attempts, drops, connected, gaveUp, reasons, ...(lastError !== undefined && { error: lastError }) })
})
process.on('uncaughtException', (error) => {
  lastError = String(error)
})
process.on('unhandledRejection', (error) => {
  lastError = String(error)
})

const runRapport = async (): Promise<void> => {
  const { stormClient } = await import('./rapportClient')
  for (let i = 0; i < n; i++) {
    const track = tracker()
    const client = await stormClient(serverUrl, countAttempt)
    const seen = (status: string): void => {
      if (status === 'paused' || status === 'destroyed') track.giveUp(status)
      else track.set(status === 'connected')
    }
    client.onStatus(seen)
    seen(client.status())
  }
}

interface LivechatToken {
  accessToken: string
  entityId: string
  expiresIn: number
  tokenType: string
  creationDate: number
  organizationId: string
}

/** A per-client identity provider against the local server's token endpoint (http.md §2.1), keeping the identity cookies. */
const identityProvider = () => {
  let cookie = ''
  let token: Promise<LivechatToken> | undefined
  const fetchToken = async (): Promise<LivechatToken> => {
    const response = await fetch(`${serverUrl}/v2/customer/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(cookie && { Cookie: cookie }) },
      body: JSON.stringify({ grant_type: 'cookie', client_id: 'bench', response_type: 'token', organization_id: ORGANIZATION_ID }),
    })
    const set = response.headers.getSetCookie()
    if (set.length > 0) cookie = set.map((c) => c.split(';')[0]).join('; ')
    const body = (await response.json()) as { access_token?: string; entity_id?: string; expires_in?: number; token_type?: string; organization_id?: string }
    if (!response.ok || !body.access_token) throw Object.assign(new Error('temporarily_unavailable'), { code: 'SSO_OAUTH_EXCEPTION' })
    return {
      accessToken: body.access_token,
      entityId: body.entity_id ?? '',
      expiresIn: (body.expires_in ?? 0) * 1000,
      tokenType: body.token_type ?? 'Bearer',
      creationDate: Date.now(),
      organizationId: body.organization_id ?? ORGANIZATION_ID,
    }
  }
  const fresh = (): Promise<LivechatToken> => {
    token = fetchToken()
    token.catch(() => {
      token = undefined
    })
    return token
  }
  return {
    getToken: () => token ?? fresh(),
    getFreshToken: fresh,
    hasToken: async () => token !== undefined,
    invalidate: async () => {
      token = undefined
    },
  }
}

/** Reasons of 4.0.2's `disconnected` after which it reconnects by itself (the others destroy or pause it). */
const LIVECHAT_RETRIES = new Set(['connection_lost', 'access_token_expired'])

const runLivechat = (): void => {
  // 4.0.2 builds its socket URL from the platform's hosts and uses the global WebSocket:
  // give it one (Node 20 has none) that keeps path and query but goes to the local server
  const { WebSocket } = loadWs()
  const local = new URL(serverUrl)
  ;(globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      countAttempt()
      const target = new URL(url)
      target.protocol = 'ws:'
      target.host = local.host
      super(target.toString())
      // a browser's WebSocket reports a refused connection as an event, and 4.0.2 listens
      // to `close` only; `ws` throws an `error` nobody listens to, which would stop it
      this.on('error', () => {})
    }
  }
  process.env.NODE_ENV ??= 'production'
  const { init } = createRequire(import.meta.url)('@livechat/customer-sdk') as {
    init(config: object): { on(name: string, listener: (payload?: { reason?: string }) => void): void }
  }
  for (let i = 0; i < n; i++) {
    const track = tracker()
    const sdk = init({ organizationId: ORGANIZATION_ID, clientId: 'bench', identityProvider })
    sdk.on('connected', () => track.set(true))
    sdk.on('disconnected', (payload) => {
      const reason = payload?.reason ?? 'unknown'
      if (LIVECHAT_RETRIES.has(reason)) track.set(false)
      else track.giveUp(reason)
    })
  }
}

if (kind === 'rapport') await runRapport()
else if (kind === 'livechat') runLivechat()
else lastError = `unknown kind ${kind}`
