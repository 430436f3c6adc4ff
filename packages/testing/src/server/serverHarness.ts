/**
 * The local Rapport server (`@rapport/server`) started in-process for tests, with a
 * restart that keeps the port and the storage, so clients reconnect to the same URL
 * and find every chat, event and token they had.
 */
import { MemoryStorage, type RapportServer, type ServerAdmin, type ServerOptions, type Storage, createServer } from '@rapport/server'

export interface TestServerOptions extends Omit<ServerOptions, 'port' | 'storage'> {
  /** Port to listen on; `0` (the default) picks a free one, kept across restarts. */
  port?: number
  /** Storage kept across restarts; a fresh `MemoryStorage` by default. */
  storage?: Storage
}

export interface TestServer {
  /** HTTP origin, e.g. `http://127.0.0.1:40123` (the same after a restart). */
  readonly url: string
  readonly port: number
  /** Admin controls of the server currently running (a new object after each restart). */
  readonly admin: ServerAdmin
  /** The storage shared by every incarnation of the server. */
  readonly storage: Storage
  /** Whether a server is listening now. */
  readonly running: boolean
  /** How many times the server was restarted. */
  readonly restarts: number
  /** Closes the server (dropping every socket) and starts it again on the same port with the same storage. */
  restart(): Promise<void>
  /** Closes the server without starting it again (`start()` brings it back). */
  pause(): Promise<void>
  /** Starts a paused server again. */
  start(): Promise<void>
  /** Closes the server for good and closes the storage if the harness created it. */
  stop(): Promise<void>
}

const isAddressInUse = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'EADDRINUSE'

/** Starts `@rapport/server` on a random local port (or `options.port`). */
export const startTestServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const ownsStorage = options.storage === undefined
  const storage = options.storage ?? new MemoryStorage()
  const serverOptions: ServerOptions = { ...options, storage }

  let server: RapportServer | undefined = await createServer({ ...serverOptions, port: options.port ?? 0 })
  const port = server.port
  const url = server.url
  let admin = server.admin
  let restarts = 0
  let stopped = false

  const listen = async (): Promise<void> => {
    // the port was just released by this process; retry briefly if the OS has not freed it yet
    for (let attempt = 0; ; attempt++) {
      try {
        server = await createServer({ ...serverOptions, port })
        admin = server.admin
        return
      } catch (error) {
        if (!isAddressInUse(error) || attempt >= 50) throw error
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }
  const close = async (): Promise<void> => {
    const current = server
    server = undefined
    await current?.close()
  }

  return {
    url,
    port,
    get admin() {
      return admin
    },
    storage,
    get running() {
      return server !== undefined
    },
    get restarts() {
      return restarts
    },
    async restart() {
      if (stopped) throw new Error('The test server was stopped')
      await close()
      await listen()
      restarts++
    },
    async pause() {
      await close()
    },
    async start() {
      if (stopped) throw new Error('The test server was stopped')
      if (server === undefined) await listen()
    },
    async stop() {
      if (stopped) return
      stopped = true
      await close()
      if (ownsStorage) storage.close()
    },
  }
}
