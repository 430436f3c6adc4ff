/**
 * The packages as users get them: every public package built (when its dist is missing or
 * older than its sources), packed with `pnpm pack` (workspace ranges become versions), and
 * the tarballs installed with npm into a fresh project, our packages from the local files
 * only (third-party dependencies from the registry or the npm cache).
 */
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { ROOT, type WorkspacePackage } from './workspace'

const run = promisify(execFile)

/** Runs a command; on failure the error names it with its output. */
export const exec = async (command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) => {
  try {
    return await run(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed: ${String(error)}\n${stdout ?? ''}\n${stderr ?? ''}`)
  }
}

const files = (dir: string, skip: (path: string) => boolean = () => false): string[] =>
  !existsSync(dir)
    ? []
    : readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name)
        if (skip(path)) return []
        return entry.isDirectory() ? files(path, skip) : [path]
      })

/** Whether `dist` is missing or older than a source file or the build config. */
export const needsBuild = (pkg: WorkspacePackage): boolean => {
  const built = files(join(pkg.dir, 'dist')).map((path) => statSync(path).mtimeMs)
  if (built.length === 0) return true
  const sources = files(join(pkg.dir, 'src'), (path) => path.includes('__tests__'))
  for (const config of ['tsup.config.ts', 'svelte.config.js']) if (existsSync(join(pkg.dir, config))) sources.push(join(pkg.dir, config))
  const newestSource = Math.max(...sources.map((path) => statSync(path).mtimeMs))
  return newestSource > Math.min(...built)
}

/** Builds the packages whose dist is stale (in dependency order, through pnpm). */
export const buildStale = async (packages: WorkspacePackage[]): Promise<string[]> => {
  const stale = packages.filter(needsBuild)
  if (stale.length > 0) await exec('pnpm', ['-r', ...stale.flatMap((p) => ['--filter', p.name]), 'run', 'build'], { cwd: ROOT, timeoutMs: 600_000 })
  return stale.map((p) => p.name)
}

export interface Packed {
  name: string
  version: string
  tarball: string
  /** Paths inside the tarball (`package/…`). */
  entries: string[]
  /** The manifest as packed (workspace ranges replaced). */
  manifest: Record<string, unknown>
}

/** `pnpm pack` of one package into `destination`. */
export const pack = async (pkg: WorkspacePackage, destination: string): Promise<Packed> => {
  mkdirSync(destination, { recursive: true })
  const before = new Set(readdirSync(destination))
  await exec('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir })
  const created = readdirSync(destination).filter((name) => !before.has(name) && name.endsWith('.tgz'))
  if (created.length !== 1) throw new Error(`pnpm pack of ${pkg.name} made ${created.join(', ') || 'nothing'}`)
  const tarball = join(destination, created[0] as string)
  const { stdout: listing } = await exec('tar', ['-tzf', tarball], { cwd: destination })
  const { stdout: manifestText } = await exec('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: destination })
  const manifest = JSON.parse(manifestText) as Record<string, unknown>
  return { name: pkg.name, version: String(manifest.version), tarball, entries: listing.split('\n').filter(Boolean), manifest }
}

/**
 * better-sqlite3's native binary, as the local prebuild its install script looks for first
 * (`npm_config_better_sqlite3_local_prebuilds`): the one the workspace's install already
 * built or downloaded. Without it every fresh install would try GitHub for a prebuilt
 * binary and, where that is out of reach, compile SQLite (minutes on a small machine).
 * Returns the version and the environment to install with, or `undefined` when the
 * workspace has no binary (npm then does what it always does).
 */
export const localSqlitePrebuild = async (into: string): Promise<{ version: string; env: Record<string, string> } | undefined> => {
  const fromServer = createRequire(join(ROOT, 'packages', 'server', 'package.json'))
  const manifestPath = fromServer.resolve('better-sqlite3/package.json')
  const dir = join(manifestPath, '..')
  const version = String((JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: unknown }).version)
  const binary = join('build', 'Release', 'better_sqlite3.node')
  if (!existsSync(join(dir, binary))) return undefined
  mkdirSync(into, { recursive: true })
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  await exec('tar', ['-czf', join(into, name), '-C', dir, binary], { cwd: into })
  return { version, env: { npm_config_better_sqlite3_local_prebuilds: into } }
}

export interface FreshProject {
  dir: string
  /** The `resolved` field of each installed `@rapport/*` package, from package-lock.json. */
  resolved: Record<string, string>
}

/**
 * A fresh npm project in `dir` with the tarballs and `extra` registry packages installed.
 * Our packages are pinned to their tarballs by `overrides` (a dependency of one on another
 * never goes to the registry); `pins` fix third-party versions the same way.
 */
export const installFresh = async (
  dir: string,
  tarballs: Packed[],
  extra: Record<string, string>,
  pins: Record<string, string>,
  env: Record<string, string>,
): Promise<FreshProject> => {
  mkdirSync(dir, { recursive: true })
  const dependencies: Record<string, string> = { ...extra }
  const overrides: Record<string, string> = { ...pins }
  for (const packed of tarballs) {
    dependencies[packed.name] = `file:${relative(dir, packed.tarball)}`
    overrides[packed.name] = `$${packed.name}`
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'fresh-project', version: '0.0.0', private: true, dependencies, overrides }, null, 2)}\n`)
  // the project's own .npmrc: nothing of the workspace's configuration leaks in
  writeFileSync(join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n')
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: { ...process.env, ...env },
    timeoutMs: 540_000,
  })
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> }
  const resolved: Record<string, string> = {}
  for (const [path, entry] of Object.entries(lock.packages))
    if (path.startsWith('node_modules/@rapport/') || path.includes('/node_modules/@rapport/')) resolved[path] = entry.resolved ?? '(none)'
  return { dir, resolved }
}

/** Copies the example files into the project. */
export const copyExamples = (from: string, to: string): string[] => {
  const names = readdirSync(from).filter((name) => /\.(mjs|cjs)$/.test(name))
  for (const name of names) copyFileSync(join(from, name), join(to, name))
  return names
}
