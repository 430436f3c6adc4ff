/**
 * Everything the core touches outside itself: time, randomness, sockets, HTTP,
 * storage and the browser's network/visibility signals. The defaults below are the
 * only place the core reads `window`, `document` or `navigator`; tests inject a
 * FakeEnv from `@rapport/testing`.
 */
import WebSocketImpl from 'isomorphic-ws'

export type TimerId = unknown

/** The clock shape XState's `createActor({ clock })` expects. */
export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, ms: number): TimerId
  clearTimeout(id: TimerId): void
}

/** The part of the WebSocket interface the core uses. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: { code?: number; reason?: string }) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers?: Record<string, string>
  body?: string
  /** Send cookies (the token endpoint's identity cookies). */
  credentials?: boolean
}

export interface HttpResponse {
  status: number
  body: string
}

/** A file to upload: a Blob with a name, or React Native's `{uri, type?, name?}` object. */
export type UploadBody = { kind: 'blob'; blob: Blob; name: string } | { kind: 'native'; file: { uri: string; type?: string; name?: string } }

export interface UploadRequest {
  url: string
  headers: Record<string, string>
  /** Sent as multipart/form-data with one part named `file`. */
  body: UploadBody
  signal: AbortSignal
  onProgress?: (loaded: number, total: number) => void
}

export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface Env {
  readonly clock: Clock
  now(): number
  random(): number
  createSocket(url: string): SocketLike
  http(request: HttpRequest): Promise<HttpResponse>
  /** Multipart upload with progress and abort (`uploadFile`). */
  upload(request: UploadRequest): Promise<HttpResponse>
  readonly storage: KeyValueStorage
  /** Subscribes to online/offline and visible/hidden signals; returns an unsubscribe. */
  watchSignals(listener: (signal: 'online' | 'offline' | 'visible' | 'hidden') => void): () => void
  isVisible(): boolean
}

export const createMemoryStorage = (): KeyValueStorage => {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

interface BrowserLike {
  addEventListener(type: string, fn: () => void): void
  removeEventListener(type: string, fn: () => void): void
}

const browserStorage = (): KeyValueStorage => {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage
    if (storage) {
      const probe = '@@rapport_probe'
      storage.setItem(probe, '1')
      storage.removeItem(probe)
      return storage
    }
  } catch {
    // storage disabled (private mode, sandboxed iframe): fall back to memory
  }
  return createMemoryStorage()
}

/** Real time, real sockets (isomorphic-ws: the browser's WebSocket, or `ws` in Node). */
export const createDefaultEnv = (): Env => {
  const win = (globalThis as { window?: BrowserLike }).window
  const doc = (globalThis as { document?: BrowserLike & { visibilityState?: string } }).document
  // outside a browser nothing keeps the accounts service's identity cookies: keep them here,
  // so that a Node customer stays the same customer across token refreshes
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string'
  const jar = isNode && !doc ? createCookieJar() : undefined
  return {
    clock: {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
    },
    now: () => Date.now(),
    random: () => Math.random(),
    createSocket: (url) => new WebSocketImpl(url) as unknown as SocketLike,
    http: async ({ method, url, headers, body, credentials }) => {
      const cookie = credentials ? jar?.header(url) : undefined
      const response = await fetch(url, {
        method,
        headers: { ...headers, ...(cookie && { Cookie: cookie }) },
        ...(body !== undefined && { body }),
        credentials: credentials ? 'include' : 'omit',
      })
      if (credentials) jar?.store(url, response.headers)
      return { status: response.status, body: await response.text() }
    },
    upload: (request) => (typeof XMLHttpRequest === 'function' ? uploadWithXhr(request) : uploadWithFetch(request)),
    storage: browserStorage(),
    watchSignals: (listener) => {
      if (!win) return () => {}
      const online = () => listener('online')
      const offline = () => listener('offline')
      const visibility = () => listener(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')
      win.addEventListener('online', online)
      win.addEventListener('offline', offline)
      doc?.addEventListener('visibilitychange', visibility)
      return () => {
        win.removeEventListener('online', online)
        win.removeEventListener('offline', offline)
        doc?.removeEventListener('visibilitychange', visibility)
      }
    },
    isVisible: () => doc?.visibilityState !== 'hidden',
  }
}

const formOf = (body: UploadBody): FormData => {
  const form = new FormData()
  if (body.kind === 'blob') form.append('file', body.blob, body.name)
  else form.append('file', body.file as unknown as Blob)
  return form
}

/** Browsers and React Native: XHR reports upload progress. */
const uploadWithXhr = (request: UploadRequest): Promise<HttpResponse> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', request.url)
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => request.onProgress?.(event.loaded, event.total)
    xhr.onload = () => resolve({ status: xhr.status, body: String(xhr.responseText ?? '') })
    xhr.onerror = () => reject(new Error('network error'))
    xhr.onabort = () => reject(new Error('aborted'))
    request.signal.addEventListener('abort', () => xhr.abort())
    xhr.send(formOf(request.body))
  })

/**
 * Node: the multipart body is encoded by the platform's FormData, then streamed in
 * chunks so that progress follows what the socket has taken.
 */
const uploadWithFetch = async (request: UploadRequest): Promise<HttpResponse> => {
  const encoded = new Response(formOf(request.body))
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data'
  const bytes = new Uint8Array(await encoded.arrayBuffer())
  const chunk = 64 * 1024
  let offset = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      const end = Math.min(bytes.length, offset + chunk)
      controller.enqueue(bytes.subarray(offset, end))
      offset = end
      request.onProgress?.(offset, bytes.length)
    },
  })
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { ...request.headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) },
    body: stream,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' })
  return { status: response.status, body: await response.text() }
}

/**
 * A minimal per-origin cookie store for runtimes without one (Node): name=value pairs
 * from `Set-Cookie`, sent back to the same origin. Expiry and paths are not tracked;
 * it lives as long as the client.
 */
const createCookieJar = () => {
  const byOrigin = new Map<string, Map<string, string>>()
  return {
    header: (url: string): string | undefined => {
      const cookies = byOrigin.get(new URL(url).origin)
      return cookies && cookies.size > 0 ? [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') : undefined
    },
    store: (url: string, headers: Headers): void => {
      const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : []
      if (setCookies.length === 0) return
      const origin = new URL(url).origin
      const cookies = byOrigin.get(origin) ?? new Map<string, string>()
      for (const line of setCookies) {
        const [pair] = line.split(';')
        const index = pair?.indexOf('=') ?? -1
        if (!pair || index <= 0) continue
        cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim())
      }
      byOrigin.set(origin, cookies)
    },
  }
}
