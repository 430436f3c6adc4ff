import type { Clock, Env, HttpRequest, HttpResponse, KeyValueStorage, SocketLike, TimerId, UploadRequest } from '@rapport/core'
import { createMemoryStorage } from '@rapport/core'

interface Timer {
  id: number
  at: number
  fn: () => void
}

/** A clock that moves only when told to. Timers due at the same time run in creation order. */
export class ManualClock implements Clock {
  private time = 0
  private nextId = 1
  private readonly timers = new Map<number, Timer>()

  now = (): number => this.time

  setTimeout = (fn: (...args: unknown[]) => void, ms: number): TimerId => {
    const id = this.nextId++
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), fn: () => fn() })
    return id
  }

  clearTimeout = (id: TimerId): void => {
    this.timers.delete(id as number)
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.timers.size
  }

  /** The time of the next timer, if any. */
  nextAt(): number | undefined {
    let next: number | undefined
    for (const timer of this.timers.values()) if (next === undefined || timer.at < next) next = timer.at
    return next
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      let due: Timer | undefined
      for (const timer of this.timers.values()) if (timer.at <= end && (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) due = timer
      if (!due) break
      this.timers.delete(due.id)
      this.time = Math.max(this.time, due.at)
      due.fn()
    }
    this.time = end
  }

  /** Runs timers until none is left due within `limitMs`. */
  runAll(limitMs = 24 * 60 * 60 * 1000): void {
    const next = this.nextAt()
    if (next !== undefined && next - this.time <= limitMs) this.advance(next - this.time)
  }
}

/** A socket driven by the test: open it, feed it frames, drop it. */
export class FakeSocket implements SocketLike {
  readyState = 0
  readonly sent: string[] = []
  onopen: SocketLike['onopen'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null
  onmessage: SocketLike['onmessage'] = null
  closedByClient = false

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket is not open')
    this.sent.push(data)
  }

  close(): void {
    if (this.readyState >= 2) return
    this.closedByClient = true
    this.readyState = 3
  }

  /** Frames the client sent, decoded. */
  get sentFrames(): Array<{ request_id?: string; action: string; payload?: Record<string, unknown> }> {
    return this.sent.map((text) => JSON.parse(text) as { request_id?: string; action: string; payload?: Record<string, unknown> })
  }

  lastSent(action: string): { request_id?: string; action: string; payload?: Record<string, unknown> } | undefined {
    return this.sentFrames.filter((f) => f.action === action).at(-1)
  }

  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  receive(frame: object | string): void {
    if (this.readyState !== 1) return
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }

  /** Answers the last request of `action` with a successful response. */
  respond(action: string, payload: object = {}): void {
    const request = this.lastSent(action)
    if (!request) throw new Error(`no "${action}" request was sent`)
    this.receive({ request_id: request.request_id, action, type: 'response', success: true, payload })
  }

  /** The server side goes away (or the network drops it). */
  drop(code = 1006): void {
    if (this.readyState >= 3 && this.closedByClient) return
    this.readyState = 3
    this.onclose?.({ code })
  }

  get isOpen(): boolean {
    return this.readyState === 1
  }
}

export interface FakeEnvOptions {
  /** Seed of the deterministic random source. */
  seed?: number
  /** Answers HTTP requests (the token endpoint by default issues a token for `customer-1`). */
  http?: (request: HttpRequest) => Promise<HttpResponse> | HttpResponse
  /** Answers uploads; by default reports progress in two steps and returns a file URL. */
  upload?: (request: UploadRequest) => Promise<HttpResponse> | HttpResponse
}

/** A seeded pseudo-random source (mulberry32). */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An Env for tests: manual clock, seeded randomness, fake sockets, scripted HTTP, toggleable signals. */
export class FakeEnv implements Env {
  readonly clock = new ManualClock()
  readonly sockets: FakeSocket[] = []
  readonly storage: KeyValueStorage = createMemoryStorage()
  readonly httpRequests: HttpRequest[] = []
  random: () => number
  online = true
  visible = true
  private readonly listeners = new Set<(signal: 'online' | 'offline' | 'visible' | 'hidden') => void>()
  private readonly httpHandler: (request: HttpRequest) => Promise<HttpResponse> | HttpResponse
  private readonly uploadHandler: (request: UploadRequest) => Promise<HttpResponse> | HttpResponse
  readonly uploads: UploadRequest[] = []

  constructor(options: FakeEnvOptions = {}) {
    this.random = seededRandom(options.seed ?? 1)
    this.uploadHandler =
      options.upload ??
      ((request) => {
        const size = request.body.kind === 'blob' ? request.body.blob.size : 1
        request.onProgress?.(Math.floor(size / 2), size)
        request.onProgress?.(size, size)
        return { status: 200, body: JSON.stringify({ url: `https://files.example/${request.body.kind === 'native' ? 'file' : (request.body.name ?? 'file')}` }) }
      })
    this.httpHandler =
      options.http ??
      (() => ({
        status: 200,
        body: JSON.stringify({ access_token: 'dal:test', entity_id: 'customer-1', expires_in: 28_800, token_type: 'Bearer', organization_id: 'org' }),
      }))
  }

  now = (): number => this.clock.now()

  upload = async (request: UploadRequest): Promise<HttpResponse> => {
    this.uploads.push(request)
    if (request.signal.aborted) throw new Error('aborted')
    return this.uploadHandler(request)
  }

  createSocket = (url: string): SocketLike => {
    const socket = new FakeSocket(url)
    this.sockets.push(socket)
    return socket
  }

  http = async (request: HttpRequest): Promise<HttpResponse> => {
    this.httpRequests.push(request)
    return this.httpHandler(request)
  }

  watchSignals = (listener: (signal: 'online' | 'offline' | 'visible' | 'hidden') => void): (() => void) => {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  isVisible = (): boolean => this.visible

  /** Listeners still registered (0 after destroy). */
  get signalListeners(): number {
    return this.listeners.size
  }

  /** The most recent socket. */
  get socket(): FakeSocket {
    const socket = this.sockets.at(-1)
    if (!socket) throw new Error('no socket was created')
    return socket
  }

  /** Sockets the client has not closed and the test has not dropped. */
  get liveSockets(): FakeSocket[] {
    return this.sockets.filter((s) => s.readyState < 2)
  }

  signal(signal: 'online' | 'offline' | 'visible' | 'hidden'): void {
    if (signal === 'online' || signal === 'offline') this.online = signal === 'online'
    else this.visible = signal === 'visible'
    for (const listener of [...this.listeners]) listener(signal)
  }
}
