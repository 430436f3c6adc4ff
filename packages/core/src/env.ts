/**
 * Everything the core touches outside itself: time, randomness, sockets, HTTP,
 * storage and the browser's network/visibility signals. The defaults below are the
 * only place the core reads `window`, `document` or `navigator`; they use web
 * standards only (the global WebSocket, fetch, XHR, localStorage), so the core carries
 * no Node code. Node programs use `createNodeEnv()` from `@rapport/node`; tests inject
 * a FakeEnv from `@rapport/testing`.
 */

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

/**
 * A file to upload: a Blob with a name, React Native's `{uri, type?, name?}` object, or a
 * stream of bytes (any async iterable, e.g. a Node readable stream) that only an Env able
 * to stream implements (`@rapport/node`); the others reject it. A stream's Env enforces
 * `maxBytes`, failing with `TOO_BIG_FILE` as soon as the stream passes it.
 */
export type UploadBody =
  | { kind: 'blob'; blob: Blob; name: string }
  | { kind: 'native'; file: { uri: string; type?: string; name?: string } }
  | { kind: 'stream'; stream: AsyncIterable<Uint8Array>; name?: string; maxBytes: number }

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

const REAL_TIME: Pick<Env, 'clock' | 'now' | 'random'> = Object.freeze({
  clock: Object.freeze({
    setTimeout: (fn: (...args: unknown[]) => void, ms: number) => globalThis.setTimeout(fn, ms),
    clearTimeout: (id: TimerId) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
  }),
  now: () => Date.now(),
  random: () => Math.random(),
})

/**
 * Real time and randomness: the part of every platform Env that is the same everywhere.
 * One frozen object shared by every client (nothing in it is per client).
 */
export const realTime = (): Pick<Env, 'clock' | 'now' | 'random'> => REAL_TIME

interface WebSocketConstructor {
  new (url: string): SocketLike
}

/**
 * Real time and the platform's web APIs: the global WebSocket, fetch, XHR uploads,
 * localStorage and the window's online/offline and visibility signals. Runtimes without
 * a global WebSocket (Node before 22) use `createNodeEnv()` from `@rapport/node`.
 */
export const createDefaultEnv = (platform: { WebSocket?: WebSocketConstructor } = globalThis as { WebSocket?: WebSocketConstructor }): Env => {
  const WebSocketImpl = platform.WebSocket
  if (typeof WebSocketImpl !== 'function')
    throw new Error(
      'Rapport: this runtime has no global WebSocket. In Node, use createNodeEnv() from @rapport/node ' +
        '(or its createCustomerClient / createAgentClient), or pass `environment` to the client.',
    )
  // the functions are the same for every client of a platform: made once; storage is the
  // client's own (localStorage, or a memory fallback per client)
  let shared = sharedByPlatform.get(WebSocketImpl)
  if (!shared) sharedByPlatform.set(WebSocketImpl, (shared = platformFunctions(WebSocketImpl)))
  return { ...shared, storage: browserStorage() }
}

const sharedByPlatform = new WeakMap<WebSocketConstructor, Omit<Env, 'storage'>>()

const platformFunctions = (WebSocketImpl: WebSocketConstructor): Omit<Env, 'storage'> => {
  const win = (globalThis as { window?: BrowserLike }).window
  const doc = (globalThis as { document?: BrowserLike & { visibilityState?: string } }).document
  return {
    ...realTime(),
    createSocket: (url) => new WebSocketImpl(url),
    http: async ({ method, url, headers, body, credentials }) => {
      const response = await fetch(url, {
        method,
        ...(headers && { headers }),
        ...(body !== undefined && { body }),
        credentials: credentials ? 'include' : 'omit',
      })
      return { status: response.status, body: await response.text() }
    },
    upload: (request) => {
      const { body } = request
      if (body.kind === 'stream')
        return Promise.reject(new Error('Uploading a stream needs an environment that streams (createNodeEnv() from @rapport/node); pass a Blob'))
      return typeof XMLHttpRequest === 'function' ? uploadWithXhr(request, formOf(body)) : uploadWithFetch(request, formOf(body))
    },
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

const formOf = (body: Exclude<UploadBody, { kind: 'stream' }>): FormData => {
  const form = new FormData()
  if (body.kind === 'blob') form.append('file', body.blob, body.name)
  // React Native's FormData takes the `{uri, type, name}` object itself (the DOM typing knows only Blobs)
  else Reflect.apply(FormData.prototype.append, form, ['file', body.file])
  return form
}

/** Browsers and React Native: XHR reports upload progress. */
const uploadWithXhr = (request: UploadRequest, form: FormData): Promise<HttpResponse> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', request.url)
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => request.onProgress?.(event.loaded, event.total)
    xhr.onload = () => resolve({ status: xhr.status, body: String(xhr.responseText ?? '') })
    xhr.onerror = () => reject(new Error('network error'))
    xhr.onabort = () => reject(new Error('aborted'))
    request.signal.addEventListener('abort', () => xhr.abort())
    xhr.send(form)
  })

/** Runtimes with fetch and no XHR (workers, Deno, Bun): one request, no intermediate progress. */
const uploadWithFetch = async (request: UploadRequest, form: FormData): Promise<HttpResponse> => {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: form, signal: request.signal })
  return { status: response.status, body: await response.text() }
}
