import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { publicPackages, root } from './publicPackages'

const newestIn = (dir: string): number => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '__tests__' || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds every public package (`pnpm build`) when one's dist is missing or older than its sources. */
export default function setup(): void {
  const stale = publicPackages().filter((pkg) => {
    const built = [pkg.esm.js, pkg.esm.types, pkg.cjs?.js, pkg.cjs?.types].filter((f): f is string => f !== undefined)
    if (!built.every((file) => existsSync(file))) return true
    const oldest = Math.min(...built.map((file) => statSync(file).mtimeMs))
    return newestIn(join(pkg.dir, 'src')) > oldest
  })
  if (stale.length === 0) return
  console.log(`building the packages (${stale.map((p) => p.name).join(', ')} missing or older than their sources)`)
  execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' })
}
