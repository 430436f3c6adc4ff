/**
 * Every public package packed, installed with npm into a fresh project from the tarballs,
 * and run there from ESM and CommonJS (`examples/`); then `npx @rapport/server` from that
 * project serves a customer of the packed `@rapport/customer-sdk`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FreshProject, type Packed, buildStale, copyExamples, exec, installFresh, localSqlitePrebuild, pack } from '../pack'
import { ROOT, publicPackages } from '../workspace'

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'rapport-pack-'))
const packages = publicPackages()
const packed: Packed[] = []
let project: FreshProject
let examples: string[] = []

/** A third-party package's range as the workspace declares it (so the fresh project gets what we test with). */
const rangeOf = (name: string): string => {
  for (const p of packages) {
    const { dependencies = {}, devDependencies = {}, peerDependencies = {} } = p.manifest
    const range = dependencies[name] ?? devDependencies[name] ?? peerDependencies[name]
    if (range) return range
  }
  throw new Error(`no workspace package declares ${name}`)
}

beforeAll(async () => {
  await buildStale(packages)
  for (const pkg of packages) packed.push(await pack(pkg, join(work, 'tarballs')))
  const sqlite = await localSqlitePrebuild(join(work, 'prebuilds'))
  project = await installFresh(
    join(work, 'app'),
    packed,
    // what the examples use beside our packages: ws for the SDK on Node 20, the peers
    { ws: rangeOf('ws'), 'fast-check': rangeOf('fast-check'), svelte: rangeOf('svelte') },
    sqlite ? { 'better-sqlite3': sqlite.version } : {},
    sqlite?.env ?? {},
  )
  examples = copyExamples(EXAMPLES, project.dir)
}, 600_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed packages', () => {
  it('each tarball holds its README, the LICENSE, its manifest and its build, and no workspace range', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.name).sort())
    for (const p of packed) {
      expect(p.entries, p.name).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/package.json']))
      expect(p.entries.some((entry) => entry.startsWith('package/dist/')), p.name).toBe(true)
      expect(p.entries.filter((entry) => entry.includes('__tests__')), p.name).toEqual([])
      expect(JSON.stringify(p.manifest), p.name).not.toContain('workspace:')
    }
  })

  it('installs our packages from the local tarballs only', () => {
    const ours = Object.entries(project.resolved)
    expect(ours.map(([path]) => path).sort()).toEqual(packed.map((p) => `node_modules/${p.name}`).sort())
    for (const [path, resolved] of ours) expect(resolved, path).toMatch(/^file:.*\.tgz$/)
  })

  it('runs an ESM and a CommonJS example of every package (ESM only for @rapport/svelte)', { timeout: 120_000 }, async () => {
    for (const p of packed) {
      const base = p.name.replace('@rapport/', '')
      const expected = p.name === '@rapport/svelte' ? [`${base}.mjs`] : [`${base}.mjs`, `${base}.cjs`]
      expect(examples, p.name).toEqual(expect.arrayContaining(expected))
    }
    const outputs: string[] = []
    for (const example of examples.filter((name) => name !== 'customer.mjs')) {
      const { stdout } = await exec(process.execPath, [example], { cwd: project.dir, timeoutMs: 30_000 })
      outputs.push(stdout.trim())
    }
    for (const p of packed) expect(outputs.join('\n'), p.name).toContain(`ok ${p.name.replace('@rapport/', '')} esm`)
    expect(outputs.filter((line) => / cjs/.test(line))).toHaveLength(packed.length - 1)
  })

  it('`npx @rapport/server` serves a customer of the packed SDK (ws as the WebSocket of Node 20): a chat starts and a message is answered', { timeout: 60_000 }, async () => {
    // its own process group: npx and the server it starts are stopped together
    const server: ChildProcess = spawn('npx', ['--offline', '@rapport/server', '--port', '0', '--storage', 'memory'], {
      cwd: project.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stderr = ''
    server.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    const stop = (): void => {
      if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM')
    }
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start: ${stderr}`)), 30_000)
        server.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)))
        createInterface({ input: server.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          const match = /listening on (http:\/\/\S+)/.exec(line)
          if (match?.[1]) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
      })
      const { stdout } = await exec(process.execPath, ['customer.mjs'], { cwd: project.dir, env: { ...process.env, SERVER_URL: url }, timeoutMs: 30_000 })
      expect(stdout).toMatch(/^ok customer \S+ chat \S+ event \S+/m)
    } finally {
      stop()
    }
  })
})

// the workspace itself is untouched: packing writes nothing into it
afterAll(async () => {
  const { stdout } = await exec('git', ['status', '--porcelain', '--', 'packages'], { cwd: ROOT })
  expect(stdout.split('\n').filter((line) => line.endsWith('.tgz'))).toEqual([])
})
