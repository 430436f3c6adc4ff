import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryStorage, SqliteStorage, startServer } from '../index'

const ORG = 'start-server-org'
const folder = mkdtempSync(join(tmpdir(), 'rapport-start-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Whether something answers HTTP at `url`. */
const answers = async (url: string): Promise<boolean> =>
  fetch(`${url}/no-such-route`).then(
    (response) => response.status === 404,
    () => false,
  )

describe('startServer', () => {
  it('listens on a free loopback port with a memory store by default, and close() stops it', async () => {
    const server = await startServer()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
    expect(await answers(server.url)).toBe(true)
    server.admin.issueCustomerToken(ORG)
    expect(server.admin.health().customers).toBe(1)
    await server.close()
    await server.close() // idempotent
    expect(await answers(server.url)).toBe(false)
  })

  it('keeps data in a SQLite file it opens and closes', async () => {
    const path = join(folder, 'nested', 'start.sqlite')
    const first = await startServer({ storage: { sqlite: path } })
    first.admin.issueCustomerToken(ORG)
    await first.close()
    // closed: the file opens again and holds the customer
    const reopened = new SqliteStorage(path)
    expect(reopened.counts().customers).toBe(1)
    reopened.close()
    const second = await startServer({ storage: { sqlite: path } })
    expect(second.admin.health().customers).toBe(1)
    await second.close()
  })

  it('leaves a Storage instance it was given open', async () => {
    const storage = new MemoryStorage()
    const server = await startServer({ storage, port: 0 })
    server.admin.issueCustomerToken(ORG)
    await server.close()
    expect(storage.counts().customers).toBe(1)
    storage.close()
  })

  it('closes the store it opened when it cannot listen', async () => {
    const taken = await startServer()
    const path = join(folder, 'refused.sqlite')
    await expect(startServer({ port: taken.port, storage: { sqlite: path } })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    await taken.close()
    // the last connection to a WAL database removes its -wal file when it closes
    expect(existsSync(path)).toBe(true)
    expect(existsSync(`${path}-wal`)).toBe(false)
  })
})

describe('rapport-server (the bin)', () => {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url))
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawn(process.execPath, ['--import', 'tsx', '--conditions=@rapport/source', main, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  const output = async (child: ReturnType<typeof run>) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    return { code, stdout, stderr }
  }

  it('serves on the port and storage of its flags until SIGTERM', { timeout: 30_000 }, async () => {
    const child = run(['--port', '0', '--storage', 'memory'], { PORT: '1', RAPPORT_STORAGE: 'sqlite' })
    const exited = output(child)
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)))
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /listening on (\S+) \(in-memory storage/.exec(line)
        if (match?.[1]) resolve(match[1])
      })
    })
    expect(await answers(url)).toBe(true)
    child.kill('SIGTERM')
    expect((await exited).code).toBe(0)
  })

  it('prints its usage with --help, and refuses unknown flags and bad ports with exit code 2', { timeout: 30_000 }, async () => {
    const help = await output(run(['--help']))
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: rapport-server')
    const unknown = await output(run(['--bogus']))
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--bogus'")
    const port = await output(run(['-p', 'http']))
    expect(port.code).toBe(2)
    expect(port.stderr).toContain('the port must be a number')
  })
})
