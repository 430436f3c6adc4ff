/**
 * The local server as the demo runs it: its own process (`packages/server/src/main.ts` run by
 * Node with tsx as a loader — one process, so the stop signal reaches the server itself,
 * which closes its store), with the store `main.ts` picks from the environment — SQLite in
 * the project's git-ignored `.data/` folder unless `RAPPORT_STORAGE`/`RAPPORT_DB` say
 * otherwise — and a bot token valid in the demo organization only.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const SERVER_DIR = fileURLToPath(new URL('../../../../packages/server/', import.meta.url))
/** The project's data folder (the server's own default is `.data/` under its working directory). */
const DEFAULT_DB = fileURLToPath(new URL('../../../../.data/rapport.sqlite', import.meta.url))

export interface LocalServer {
  url: string
  /** The store the server reported at start-up (`SQLite storage at …`). */
  storage: string
  stop(): Promise<void>
}

export const startLocalServer = async (options: { port: number; botToken: string; organizationId: string; env?: Record<string, string> }): Promise<LocalServer> => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@rapport/source', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { RAPPORT_DB: DEFAULT_DB, ...process.env, ...options.env, PORT: String(options.port), RAPPORT_BOT_TOKEN: options.botToken, RAPPORT_BOT_ORGANIZATION: options.organizationId },
    stdio: ['ignore', 'pipe', 'inherit'],
    // its own process group: Ctrl-C in the terminal does not reach it; the demo stops it
    detached: true,
  })
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }
  }
  // whatever ends the demo, the server does not outlive it
  const onExit = (): void => killGroup('SIGTERM')
  process.once('exit', onExit)
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout })
  const started = await new Promise<{ url: string; storage: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local server exited with code ${code}`)))
    lines.on('line', (line) => {
      const match = /listening on (\S+)(?: \((.*)\))?/.exec(line)
      if (match?.[1]) resolve({ url: match[1], storage: match[2] ?? '' })
    })
  })
  return {
    ...started,
    stop: async () => {
      process.off('exit', onExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      killGroup('SIGTERM')
      await exited
    },
  }
}
