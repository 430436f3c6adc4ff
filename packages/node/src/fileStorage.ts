/**
 * A `KeyValueStorage` in a JSON file, for Node programs that must keep their identity
 * (the customer's token and identity cookies) across restarts.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { KeyValueStorage } from '@rapport/core'

const isErrno = (error: unknown, code: string): boolean => (error as { code?: unknown } | null)?.code === code

const load = (path: string): Map<string, string> => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return new Map()
    throw error
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`${path} is not JSON: it is not a Rapport storage file`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string'))
    throw new Error(`${path} is not a JSON object of strings: it is not a Rapport storage file`)
  return new Map(Object.entries(parsed as Record<string, string>))
}

let writes = 0

/**
 * Storage in the JSON file at `path` (`{ "key": "value", … }`), read once when created
 * (a missing file is an empty storage) and written on every change. A write goes to a
 * temporary file in the same directory first, then renames it over `path`, so a crash
 * leaves the old file or the new one, never half of one. Meant for one process at a time.
 */
export const createFileStorage = (path: string): KeyValueStorage => {
  const entries = load(path)
  const save = (): void => {
    mkdirSync(dirname(path), { recursive: true })
    const temporary = `${path}.${process.pid}.${++writes}.tmp`
    try {
      writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, { mode: 0o600 })
      renameSync(temporary, path)
    } catch (error) {
      rmSync(temporary, { force: true })
      throw error
    }
  }
  return {
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => {
      if (entries.get(key) === value) return
      entries.set(key, String(value))
      save()
    },
    removeItem: (key) => {
      if (entries.delete(key)) save()
    },
  }
}
