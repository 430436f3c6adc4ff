import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileStorage } from '../fileStorage'

const dirs: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-storage-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('createFileStorage', () => {
  it('starts empty without a file, and a second storage on the same file reads what the first wrote', () => {
    const path = join(tempDir(), 'nested', 'rapport.json')
    const first = createFileStorage(path)
    expect(first.getItem('token')).toBeNull()
    first.setItem('token', '{"accessToken":"dal:x"}')
    first.setItem('other', 'value')
    first.removeItem('other')
    const second = createFileStorage(path)
    expect(second.getItem('token')).toBe('{"accessToken":"dal:x"}')
    expect(second.getItem('other')).toBeNull()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ token: '{"accessToken":"dal:x"}' })
  })

  it('writes through a temporary file renamed over the old one: no partial file, no temporary left', () => {
    const dir = tempDir()
    const path = join(dir, 'rapport.json')
    const storage = createFileStorage(path)
    const big = 'x'.repeat(64 * 1024)
    let inode = -1
    for (let i = 0; i < 10; i++) {
      storage.setItem(`key${i}`, big)
      // whatever is on disk is a whole JSON document, and a new file each time (renamed over, not rewritten in place)
      expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')))).toHaveLength(i + 1)
      expect(statSync(path).ino).not.toBe(inode)
      inode = statSync(path).ino
    }
    expect(readdirSync(dir)).toEqual(['rapport.json'])
  })

  it('refuses a file that is not a JSON object of strings instead of overwriting it', () => {
    const path = join(tempDir(), 'rapport.json')
    writeFileSync(path, 'not json')
    expect(() => createFileStorage(path)).toThrow(/not JSON/)
    writeFileSync(path, '{"a":1}')
    expect(() => createFileStorage(path)).toThrow(/JSON object of strings/)
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}')
  })
})
