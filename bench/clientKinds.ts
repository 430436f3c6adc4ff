/**
 * The three kinds of client the memory and startup benchmarks compare, each made the way
 * its users make it: Rapport's vanilla `init()` (@rapport/customer-sdk), the official
 * `init()` of @livechat/customer-sdk 4.0.2 (driven as in throughputClient.ts), and a raw
 * `ws` socket that logs in. Each kind is prepared once per process (its code loaded),
 * then `create()` starts one client; `connected` resolves once it is logged in.
 */
import { createRequire } from 'node:module'
import { CUSTOMER_ID, ORGANIZATION_ID, loadWs } from './benchFrames'

export type ClientKind = 'ws' | 'livechat' | 'rapport'
export const CLIENT_KINDS: ClientKind[] = ['ws', 'livechat', 'rapport']

export interface StartedClient {
  readonly connected: Promise<void>
  destroy(): void
}

const rtmPath = `/v3.6/customer/rtm/ws?organization_id=${ORGANIZATION_ID}`

const prepareWs = (serverUrl: string): (() => StartedClient) => {
  const { WebSocket } = loadWs()
  const url = serverUrl.replace(/^http/, 'ws') + rtmPath
  const login = JSON.stringify({ action: 'login', request_id: 'login', payload: { token: 'Bearer dal:bench' } })
  return () => {
    const socket = new WebSocket(url)
    const connected = new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(login))
      socket.on('error', reject)
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type?: string; action?: string }
        if (frame.type === 'response' && frame.action === 'login') resolve()
      })
    })
    return { connected, destroy: () => socket.close() }
  }
}

interface LivechatSdk {
  on(name: string, listener: () => void): void
  destroy(): void
}

const prepareLivechat = (serverUrl: string): (() => StartedClient) => {
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
  const { init } = createRequire(import.meta.url)('@livechat/customer-sdk') as { init(config: object): LivechatSdk }
  const token = { accessToken: 'dal:bench', entityId: CUSTOMER_ID, expiresIn: 28_800_000, tokenType: 'Bearer', creationDate: Date.now(), organizationId: ORGANIZATION_ID }
  // one provider for every client: it holds no per-client state, and the harness must not
  // add to what a client costs (each closure made here per client weighs 0.3 KB under tsx)
  const provider = { getToken: async () => token, getFreshToken: async () => token, hasToken: async () => true, invalidate: async () => {} }
  const identityProvider = () => provider
  return () => {
    const sdk = init({ organizationId: ORGANIZATION_ID, clientId: 'bench', identityProvider })
    const connected = new Promise<void>((resolve) => sdk.on('connected', () => resolve()))
    return { connected, destroy: () => sdk.destroy() }
  }
}

/** The environment variable by which a parent hands its children the built SDK (`buildVanilla()`). */
export const VANILLA_MODULE = 'RAPPORT_BENCH_VANILLA'

const prepareRapport = async (serverUrl: string): Promise<() => StartedClient> => {
  // loaded here only, so that the other kinds' processes do not hold Rapport's code
  const { initVanilla } = await import('./rapportClient')
  return initVanilla(serverUrl, { accessToken: 'dal:bench', entityId: CUSTOMER_ID }, process.env[VANILLA_MODULE])
}

/**
 * Loads a kind's code; returns what starts one client of it. Rapport's comes from the
 * bundle named by `RAPPORT_BENCH_VANILLA` when set (see `buildVanilla`), else from source.
 */
export const prepare = async (kind: ClientKind, serverUrl: string): Promise<() => StartedClient> => {
  if (kind === 'ws') return prepareWs(serverUrl)
  if (kind === 'livechat') return prepareLivechat(serverUrl)
  if (kind === 'rapport') return prepareRapport(serverUrl)
  throw new Error(`bench: unknown client kind ${String(kind)}`)
}

export const isKind = (text: string): text is ClientKind => (CLIENT_KINDS as string[]).includes(text)
