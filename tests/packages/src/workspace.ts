/** The workspace's packages as pnpm lists them, with their manifests. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export interface Manifest {
  name: string
  version?: string
  private?: boolean
  license?: string
  files?: string[]
  bin?: string | Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

export interface WorkspacePackage {
  name: string
  /** Absolute folder. */
  dir: string
  manifest: Manifest
}

interface PnpmListEntry {
  name?: string
  path: string
}

/** Every package of the workspace (the root excluded), from `pnpm ls -r`. */
export const workspacePackages = (): WorkspacePackage[] => {
  const listed = JSON.parse(execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: ROOT, encoding: 'utf8' })) as PnpmListEntry[]
  return listed
    .filter((entry) => entry.path !== ROOT.replace(/\/$/, ''))
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(entry.path, 'package.json'), 'utf8')) as Manifest
      return { name: manifest.name, dir: entry.path, manifest }
    })
}

/** The packages that are published (not `private`). */
export const publicPackages = (): WorkspacePackage[] => workspacePackages().filter((p) => p.manifest.private !== true)

/** What a user's install pulls in: every dependency field but `devDependencies`. */
export const installedDependencies = (manifest: Manifest): string[] => [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
  ...Object.keys(manifest.optionalDependencies ?? {}),
]

/** The dependencies of `manifest` that a user's install would need but cannot get: private workspace packages. */
export const privateDependencies = (manifest: Manifest, packages: ReadonlyArray<{ name: string; manifest: Manifest }>): string[] =>
  installedDependencies(manifest).filter((name) => packages.find((p) => p.name === name)?.manifest.private === true)
