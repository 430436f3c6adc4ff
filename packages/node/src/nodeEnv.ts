/**
 * The Env of Node programs (bots, back-end integrations, CLIs): sockets from `ws`, HTTP
 * through fetch with a cookie jar, storage in memory or in a file, uploads streamed from
 * Node streams. There is no page to hide and no browser to go offline: no signals, always
 * visible. Process signals (SIGTERM…) are the application's to handle: it calls
 * `client.destroy()`.
 */
import { type Env, type KeyValueStorage, type SocketLike, createMemoryStorage, realTime } from '@rapport/core'
import WebSocket from 'ws'
import { createCookieJar } from './cookieJar'
import { uploadWithStream } from './streamUpload'

export interface NodeEnvOptions {
  /**
   * Where the customer's token, its identity cookies and the client's other state are
   * kept: in memory by default (a new customer each run), `createFileStorage(path)` to
   * stay the same customer across restarts.
   */
  storage?: KeyValueStorage
}

export const createNodeEnv = (options: NodeEnvOptions = {}): Env => {
  const storage = options.storage ?? createMemoryStorage()
  const jar = createCookieJar(storage)
  return {
    ...realTime(),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    http: async ({ method, url, headers, body, credentials }) => {
      const cookie = credentials ? jar.header(url) : undefined
      const response = await fetch(url, {
        method,
        headers: { ...headers, ...(cookie && { Cookie: cookie }) },
        ...(body !== undefined && { body }),
      })
      if (credentials) jar.store(url, response.headers)
      return { status: response.status, body: await response.text() }
    },
    upload: uploadWithStream,
    storage,
    watchSignals: () => () => {},
    isVisible: () => true,
  }
}
