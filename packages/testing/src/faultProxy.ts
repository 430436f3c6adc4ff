/**
 * A fault-injecting TCP proxy for tests: put it between an SDK and a server (give the
 * SDK `proxy.url` as its `serverUrl`) and break the network on purpose. It works on
 * bytes, so the HTTP token endpoint and the WebSocket upgrade and frames all pass
 * through it, and every fault looks to both ends like a real network fault:
 *
 * - `dropAll()` resets every live connection (RST on both sides): a lost network;
 * - `stall(true)` stops forwarding both ways while both sockets stay open: a zombie
 *   link, found only by heartbeats (bytes are kept and delivered once it ends, like TCP
 *   retransmission after a short outage);
 * - `halfOpen(true)` stops forwarding server → client only;
 * - `delay(ms)` adds latency to every chunk, order preserved;
 * - `refuse(true)` resets every new connection as soon as it is accepted.
 *
 * Written on `node:net` with no dependency: the npm proxies we looked at either only
 * pipe (`node-tcp-proxy`, `tcp-proxy.js`) or drive an external Toxiproxy binary.
 */
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from 'node:net'

/**
 * Presets of the faults: `normal` heals everything but the delay; `stalled`, `halfOpen`
 * and `refusing` switch on one fault; `down` refuses new connections and drops live ones.
 */
export type FaultMode = 'normal' | 'stalled' | 'halfOpen' | 'refusing' | 'down'

export interface FaultProxyOptions {
  target: { host?: string; port: number }
  /** Port to listen on; `0` (default) picks a free one. */
  listenPort?: number
  /** Interface to listen on; `127.0.0.1` by default. */
  host?: string
}

export interface FaultProxyStats {
  /** Connections accepted (refused ones excluded). */
  accepted: number
  /** Connections reset at accept while refusing. */
  refused: number
  /** Connections ended by `dropAll()`. */
  dropped: number
  bytesUp: number
  bytesDown: number
}

export interface FaultProxy {
  readonly port: number
  /** HTTP origin to give an SDK as `serverUrl`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /** Live connections (client side open). */
  readonly connections: number
  readonly mode: FaultMode
  readonly stats: FaultProxyStats
  setMode(mode: FaultMode): void
  /** Resets every live connection on both sides (RST). Returns how many. */
  dropAll(): number
  /** Heals every fault: no stall, no half-open, no refusal, no delay; held bytes flow again. */
  resetAll(): void
  /** Stops (`true`) or resumes forwarding in both directions; sockets stay open. */
  stall(on: boolean): void
  /** Stops (`true`) or resumes forwarding from the server to the client only. */
  halfOpen(on?: boolean): void
  /** Latency added to each chunk from now on, both directions; order is preserved. */
  delay(ms: number): void
  /** Resets new connections at accept (`true`) or accepts them again. */
  refuse(on: boolean): void
  /** Drops every connection and stops listening. */
  close(): Promise<void>
}

interface Chunk {
  due: number
  data: Buffer | null // null: the source ended (FIN), end the destination once everything before is written
}

/** One direction of a connection: an ordered queue of chunks with their due times. */
class Lane {
  readonly queue: Chunk[] = []
  timer: ReturnType<typeof setTimeout> | undefined
  lastDue = 0
  ended = false

  constructor(
    readonly source: Socket,
    readonly destination: Socket,
    readonly held: () => boolean,
    readonly count: (bytes: number) => void,
  ) {}

  push(data: Buffer | null, delayMs: number): void {
    // a later chunk is never due before an earlier one, so order holds when the delay shrinks
    const due = Math.max(Date.now() + delayMs, this.lastDue)
    this.lastDue = due
    this.queue.push({ due, data })
    this.pump()
  }

  pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.held() || this.destination.destroyed) return
    const now = Date.now()
    while (this.queue.length > 0) {
      const head = this.queue[0] as Chunk
      if (head.due > now) {
        this.timer = setTimeout(() => this.pump(), head.due - now)
        return
      }
      this.queue.shift()
      if (head.data === null) {
        this.ended = true
        this.destination.end()
        return
      }
      this.count(head.data.length)
      if (!this.destination.write(head.data) && !this.source.isPaused()) {
        this.source.pause()
        this.destination.once('drain', () => this.source.resume())
      }
    }
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.queue.length = 0
  }
}

interface Pair {
  client: Socket
  upstream: Socket
  up: Lane
  down: Lane
}

const reset = (socket: Socket): void => {
  if (socket.destroyed) return
  // RST where the runtime can send one (Node >= 18.3), a plain close otherwise
  if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy()
  else socket.destroy()
}

/** Starts a fault-injecting proxy in front of `target`. */
export const createFaultProxy = async (options: FaultProxyOptions): Promise<FaultProxy> => {
  const targetHost = options.target.host ?? '127.0.0.1'
  const pairs = new Set<Pair>()
  const stats: FaultProxyStats = { accepted: 0, refused: 0, dropped: 0, bytesUp: 0, bytesDown: 0 }
  let stalled = false
  let halfOpened = false
  let refusing = false
  let delayMs = 0

  const destroyPair = (pair: Pair): void => {
    if (!pairs.delete(pair)) return
    pair.up.dispose()
    pair.down.dispose()
    reset(pair.client)
    reset(pair.upstream)
  }

  const onConnection = (client: Socket): void => {
    if (refusing) {
      stats.refused++
      client.on('error', () => {})
      reset(client)
      return
    }
    stats.accepted++
    client.setNoDelay(true)
    const upstream = createConnection({ host: targetHost, port: options.target.port, allowHalfOpen: true })
    upstream.setNoDelay(true)
    const pair: Pair = {
      client,
      upstream,
      up: new Lane(client, upstream, () => stalled, (n) => (stats.bytesUp += n)),
      down: new Lane(upstream, client, () => stalled || halfOpened, (n) => (stats.bytesDown += n)),
    }
    pairs.add(pair)
    client.on('data', (data: Buffer) => pair.up.push(data, delayMs))
    upstream.on('data', (data: Buffer) => pair.down.push(data, delayMs))
    client.on('end', () => pair.up.push(null, delayMs))
    upstream.on('end', () => pair.down.push(null, delayMs))
    // an error on either side (reset, refused upstream) resets the other; a clean close of
    // both halves of one side ends the pair once the other side has been told (FIN)
    const onClose = (hadError: boolean): void => {
      if (hadError) destroyPair(pair)
      else if (pair.up.ended && pair.down.ended) destroyPair(pair)
      else if (client.destroyed && upstream.destroyed) destroyPair(pair)
    }
    client.on('error', () => destroyPair(pair))
    upstream.on('error', () => destroyPair(pair))
    client.on('close', onClose)
    upstream.on('close', onClose)
  }

  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, onConnection)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.listenPort ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const host = options.host ?? '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const pumpAll = (): void => {
    for (const pair of pairs) {
      pair.up.pump()
      pair.down.pump()
    }
  }

  const proxy: FaultProxy = {
    port,
    url,
    get connections() {
      let live = 0
      for (const pair of pairs) if (!pair.client.destroyed) live++
      return live
    },
    get mode(): FaultMode {
      if (refusing && !stalled && !halfOpened) return 'refusing'
      if (stalled) return 'stalled'
      if (halfOpened) return 'halfOpen'
      return 'normal'
    },
    stats,
    setMode(mode) {
      stalled = mode === 'stalled'
      halfOpened = mode === 'halfOpen'
      refusing = mode === 'refusing' || mode === 'down'
      if (mode === 'down') proxy.dropAll()
      pumpAll()
    },
    dropAll() {
      const live = [...pairs]
      for (const pair of live) destroyPair(pair)
      stats.dropped += live.length
      return live.length
    },
    resetAll() {
      stalled = false
      halfOpened = false
      refusing = false
      delayMs = 0
      pumpAll()
    },
    stall(on) {
      stalled = on
      pumpAll()
    },
    halfOpen(on = true) {
      halfOpened = on
      pumpAll()
    },
    delay(ms) {
      delayMs = Math.max(0, ms)
    },
    refuse(on) {
      refusing = on
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const pair of [...pairs]) destroyPair(pair)
        server.close(() => resolve())
      })
    },
  }
  return proxy
}
