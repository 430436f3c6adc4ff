import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../../', import.meta.url))

interface Manifest {
  name: string
  private?: boolean
  main?: string
  types?: string
  exports?: Record<string, unknown>
}

export interface PublicPackage {
  name: string
  dir: string
  /** The ESM entry and its declarations. */
  esm: { js: string; types: string }
  /** The CJS entry and its declarations, when the package has one. */
  cjs?: { js: string; types: string }
}

const pick = (value: unknown, ...path: string[]): string | undefined => {
  let current = value
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined
  return typeof current === 'string' ? current : undefined
}

/** Every package of packages/* that is not private, with its entries as its package.json names them. */
export const publicPackages = (): PublicPackage[] =>
  readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => {
      const entry = manifest.exports?.['.']
      const esmJs = pick(entry, 'import', 'default') ?? pick(entry, 'default')
      const esmTypes = pick(entry, 'import', 'types') ?? pick(entry, 'types')
      const cjsJs = pick(entry, 'require', 'default')
      const cjsTypes = pick(entry, 'require', 'types')
      if (!esmJs || !esmTypes) throw new Error(`${manifest.name}: no ESM entry with types in its exports`)
      return {
        name: manifest.name,
        dir,
        esm: { js: join(dir, esmJs), types: join(dir, esmTypes) },
        ...(cjsJs && cjsTypes && { cjs: { js: join(dir, cjsJs), types: join(dir, cjsTypes) } }),
      }
    })
