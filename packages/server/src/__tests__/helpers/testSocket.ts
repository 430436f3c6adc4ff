import { decodeServerFrame, type PushFrame, type ResponseFrame, type ServerFrame } from '@rapport/protocol'
import WebSocket from 'ws'

const WAIT_MS = 3000

interface Waiter {
  predicate: (frame: ServerFrame) => boolean
  resolve: (frame: ServerFrame) => void
}

/** A `ws` client for tests: buffers every frame and lets a test await the ones it expects. */
export class TestSocket {
  /** Frames received and not yet taken by `next`. */
  readonly buffer: ServerFrame[] = []
  /** Every frame ever received, in order. */
  readonly received: ServerFrame[] = []
  readonly closed: Promise<number>
  private readonly waiters = new Set<Waiter>()
  private counter = 0

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = decodeServerFrame(data.toString())
      if (!frame) throw new Error(`undecodable frame ${data.toString()}`)
      this.received.push(frame)
      for (const waiter of this.waiters) {
        if (waiter.predicate(frame)) {
          this.waiters.delete(waiter)
          waiter.resolve(frame)
          return
        }
      }
      this.buffer.push(frame)
    })
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)))
  }

  static open(url: string, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { autoPong: options.autoPong ?? true })
      const socket = new TestSocket(ws)
      ws.once('open', () => resolve(socket))
      ws.once('error', reject)
    })
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  sendRaw(text: string): void {
    this.ws.send(text)
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame))
  }

  /** The next frame matching `predicate` (from the buffer first). */
  next(predicate: (frame: ServerFrame) => boolean, label = 'frame'): Promise<ServerFrame> {
    const index = this.buffer.findIndex(predicate)
    if (index >= 0) return Promise.resolve(this.buffer.splice(index, 1)[0] as ServerFrame)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { predicate, resolve }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`timed out waiting for ${label}; received: ${JSON.stringify(this.received.map((f) => f.action))}`))
      }, WAIT_MS)
      waiter.resolve = (frame) => {
        clearTimeout(timer)
        resolve(frame)
      }
      this.waiters.add(waiter)
    })
  }

  /** Sends a request and resolves with its response frame (successful or not). */
  async request(action: string, payload: unknown = {}, requestId = `r${++this.counter}`): Promise<ResponseFrame> {
    this.send({ request_id: requestId, action, payload })
    return this.response(requestId)
  }

  async response(requestId: string): Promise<ResponseFrame> {
    return (await this.next((f) => f.type === 'response' && f.request_id === requestId, `response ${requestId}`)) as ResponseFrame
  }

  /** Sends a request and returns the payload of its successful response. */
  async ok<T = Record<string, unknown>>(action: string, payload: unknown = {}): Promise<T> {
    const response = await this.request(action, payload)
    if (!response.success) throw new Error(`${action} failed: ${JSON.stringify(response.payload)}`)
    return response.payload as T
  }

  async push<T = Record<string, unknown>>(action: string, predicate: (frame: PushFrame<T>) => boolean = () => true): Promise<PushFrame<T>> {
    return (await this.next((f) => f.type === 'push' && f.action === action && predicate(f as PushFrame<T>), `push ${action}`)) as PushFrame<T>
  }

  /** Pending pushes named `action` still in the buffer (call `sync` first). */
  buffered(action: string): PushFrame[] {
    return this.buffer.filter((f): f is PushFrame => f.type === 'push' && f.action === action)
  }

  /**
   * Round-trips a ping: every push the server queued for this socket before the ping
   * was answered has arrived once this resolves.
   */
  async sync(): Promise<void> {
    await this.ok('ping')
  }

  close(): void {
    this.ws.close()
  }
}
