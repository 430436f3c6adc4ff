/**
 * `pnpm demo`, the README's first command, run as a newcomer runs it: the scripted chat in
 * the terminal, the printed URL serving the page and the widget's script, and Ctrl-C
 * (SIGINT to the whole process group, as a terminal sends it) stopping everything.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

interface Run {
  child: ChildProcess
  output: () => string
  /** Resolves with the first match of `pattern` in the output so far or to come. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const runs: Run[] = []
const dataDirs: string[] = []

const runDemo = (args: string[], dataDir: string): Run => {
  const child = spawn('pnpm', ['demo', ...args], {
    cwd: ROOT,
    // any free ports; the persistent store in a temporary folder
    env: { ...process.env, PORT: '0', DEMO_PORT: '0', RAPPORT_STORAGE: 'sqlite', RAPPORT_DB: join(dataDir, 'rapport.sqlite'), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let text = ''
  const waiters = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    text += chunk.toString()
    for (const waiter of waiters) waiter()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal })
      for (const waiter of waiters) waiter()
    }),
  )
  const run: Run = {
    child,
    output: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text)
          if (match) {
            waiters.delete(check)
            resolve(match)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check)
            reject(new Error(`the demo exited before printing ${pattern}:\n${text}`))
          }
        }
        waiters.add(check)
        check()
      }),
  }
  runs.push(run)
  return run
}

const refusesConnections = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

const TRANSCRIPT = [
  /\] Customer: Hello!/,
  // the demo bot (over webhooks): the greeting with its quick replies, then an answer from the FAQ table
  /\] Rapport Bot: Hi there! I'm the Rapport demo bot\. What can I help you with\? \[Where is my order\?\]/,
  /\] Customer: Can you tell me where my order is\?\n\[[\d:]+\] Rapport Bot: Orders ship within 1 business day/,
  /\] Customer: Thanks, bye!\n\[[\d:]+\] Rapport Bot: You are welcome/,
  /Chat closed\. Transcript complete\./,
]

afterEach(() => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null && run.child.pid !== undefined) {
      try {
        process.kill(-run.child.pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
  }
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const tempDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-demo-'))
  dataDirs.push(dir)
  return dir
}

describe('pnpm demo', () => {
  it('prints the chat, serves the widget page at the printed URL, and stops everything on Ctrl-C', async () => {
    const dataDir = tempDataDir()
    const demo = runDemo([], dataDir)
    const [, serverUrl = '', storage = ''] = await demo.waitFor(/Local server: (http:\/\/\S+) \((.*)\)/)
    expect(storage).toBe(`SQLite storage at ${join(dataDir, 'rapport.sqlite')}`)
    const [, pageUrl = ''] = await demo.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+\/) to chat with the bot/)
    for (const line of TRANSCRIPT) expect(demo.output()).toMatch(line)

    const page = await fetch(pageUrl)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`<script src="/rapport-widget.js" data-organization-id="rapport-demo" data-server-url="${serverUrl}"></script>`)
    const script = await fetch(new URL('/rapport-widget.js', pageUrl))
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
    const code = await script.text()
    // the script-tag build: one IIFE that mounts the widget and puts its API on window.RapportWidget
    expect(code.length).toBeGreaterThan(50_000)
    expect(code).toContain('RapportWidget')
    expect(code).toContain('rapport-widget')
    expect(await refusesConnections(serverUrl)).toBe(false)

    if (demo.child.pid === undefined) throw new Error('no pid')
    process.kill(-demo.child.pid, 'SIGINT')
    expect(await demo.exited).toEqual({ code: 0, signal: null })
    expect(demo.output()).toContain('Stopping the demo')
    expect(demo.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|Error/)
    expect(await refusesConnections(serverUrl)).toBe(true)
    expect(await refusesConnections(pageUrl)).toBe(true)
    expect(existsSync(join(dataDir, 'rapport.sqlite'))).toBe(true)
  }, 240_000)

  it('--once exits after the transcript, without the widget', async () => {
    const demo = runDemo(['--once'], tempDataDir())
    const { code } = await demo.exited
    expect({ code, output: demo.output() }).toMatchObject({ code: 0 })
    for (const line of TRANSCRIPT) expect(demo.output()).toMatch(line)
    expect(demo.output()).not.toMatch(/Open http/)
    const [, serverUrl = ''] = /Local server: (http:\/\/\S+)/.exec(demo.output()) ?? []
    expect(await refusesConnections(serverUrl)).toBe(true)
  }, 120_000)
})
