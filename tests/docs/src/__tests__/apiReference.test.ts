/**
 * docs/api is TypeDoc's Markdown output for the public entry of every package: it must
 * build without a warning (typedoc.json treats warnings as errors) and what is committed
 * must be what `pnpm docs:api` generates from the types now.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const COMMITTED = join(ROOT, 'docs/api')

/** Every file under `dir`, by its path relative to `dir`, with its text. */
const tree = (dir: string): Map<string, string> => {
  const files = new Map<string, string>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files.set(relative(dir, path), readFileSync(path, 'utf8'))
  }
  return files
}

describe('docs/api (TypeDoc)', () => {
  const out = mkdtempSync(join(tmpdir(), 'rapport-api-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('builds without warnings and matches the committed reference (run `pnpm docs:api` to update it)', async () => {
    const typedoc = join(ROOT, 'node_modules/.bin/typedoc')
    // rejects (non-zero exit) on any warning: typedoc.json sets treatWarningsAsErrors
    const { stdout, stderr } = await promisify(execFile)(typedoc, ['--out', out], { cwd: ROOT })
    expect(`${stdout}${stderr}`).not.toMatch(/\[warning\]|\[error\]/)
    const generated = tree(out)
    const committed = tree(COMMITTED)
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort())
    for (const [path, text] of generated) expect(committed.get(path), path).toBe(text)
  }, 240_000)
})
