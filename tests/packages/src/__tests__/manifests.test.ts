import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, type Manifest, privateDependencies, publicPackages, workspacePackages } from '../workspace'

const all = workspacePackages()
const published = publicPackages()

describe('the workspace manifests', () => {
  it('lists the published packages (the server and testing among them)', () => {
    expect(published.map((p) => p.name).sort()).toEqual(
      expect.arrayContaining(['@rapport/core', '@rapport/customer-sdk', '@rapport/node', '@rapport/protocol', '@rapport/server', '@rapport/svelte', '@rapport/testing']),
    )
    // every folder under packages/ is published, nothing else is
    for (const p of all) expect(p.manifest.private !== true, p.name).toBe(p.dir.startsWith(join(ROOT, 'packages')))
  })

  it('no published package depends (dependencies, peer or optional) on a private one', () => {
    const offenders = published.flatMap((p) => privateDependencies(p.manifest, all).map((dep) => `${p.name} → ${dep}`))
    expect(offenders).toEqual([])
  })

  it('the check sees a private dependency, a peer one included', () => {
    const fake: Manifest = { name: '@rapport/x', dependencies: { '@rapport/core': 'workspace:^' }, peerDependencies: { '@rapport/bot': 'workspace:^' } }
    expect(privateDependencies(fake, all)).toEqual(['@rapport/bot'])
    expect(privateDependencies({ name: '@rapport/y', devDependencies: { '@rapport/e2e': 'workspace:^' } }, all)).toEqual([])
  })

  it.each(published.map((p) => [p.name, p] as const))('%s ships a README and the LICENSE, under MIT', (_name, p) => {
    expect(p.manifest.license).toBe('MIT')
    expect(existsSync(join(p.dir, 'README.md'))).toBe(true)
    expect(p.manifest.files).toContain('LICENSE')
    expect(readFileSync(join(p.dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'))
  })
})
