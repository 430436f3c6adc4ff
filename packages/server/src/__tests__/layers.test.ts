/**
 * The server's layers, checked on the source: the domain (`domain/`) depends only on
 * ports it declares, never on the RTM or HTTP layer, and no file takes part in an import
 * circle. Imports are read with a regular expression (`import … from`, `export … from`,
 * `import '…'`, `import('…')`, type-only ones included); relative specifiers are resolved
 * to files under `src/`, package imports are left out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SELF = fileURLToPath(import.meta.url)
const SRC = resolve(dirname(SELF), '..')

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })

const IMPORT_PATTERNS = [
  // import X from '…', import type { A, B } from '…', export { a } from '…', export * as n from '…'
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?[\w*${}\s,]*?\s*from\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects only)
  /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g,
  // import('…'), also in type positions
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
]

/** Block comments and whole-line comments removed (a `//` inside a string stays). */
const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

export const specifiersOf = (text: string): string[] => {
  const code = withoutComments(text)
  return IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ''))
}

const resolveRelative = (from: string, specifier: string): string | undefined => {
  const base = resolve(dirname(from), specifier)
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]
  return candidates.find((path) => path.endsWith('.ts') && existsSync(path))
}

/** Relative-import graph of `src/`: file (relative to src, `/`-separated) → the files it imports. */
const importGraph = (): Map<string, string[]> => {
  const name = (path: string): string => relative(SRC, path).split(sep).join('/')
  const graph = new Map<string, string[]>()
  // This file is left out: its parser test holds import statements in strings.
  for (const file of sourceFiles(SRC).filter((path) => path !== SELF)) {
    const targets = specifiersOf(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => {
        const target = resolveRelative(file, specifier)
        if (target === undefined) throw new Error(`${name(file)}: cannot resolve '${specifier}'`)
        return name(target)
      })
    graph.set(name(file), [...new Set(targets)])
  }
  return graph
}

/** Import circles: each strongly connected component (Tarjan) with one circle through it. */
const importCircles = (graph: Map<string, string[]>): Array<{ circle: string[]; component: string[] }> => {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    for (;;) {
      const member = stack.pop() as string
      onStack.delete(member)
      component.push(member)
      if (member === node) break
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component)
  }
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node)
  // One concrete circle per component: walk from its first member back to it.
  return components.map((component) => {
    const members = new Set(component)
    const start = [...component].sort()[0] as string
    const path = [start]
    const seen = new Set([start])
    const walk = (node: string): boolean => {
      for (const next of graph.get(node) ?? []) {
        if (next === start) return true
        if (!members.has(next) || seen.has(next)) continue
        seen.add(next)
        path.push(next)
        if (walk(next)) return true
        path.pop()
      }
      return false
    }
    walk(start)
    return { circle: [...path, start], component: [...component].sort() }
  })
}

const describeCircles = (graph: Map<string, string[]>): string[] =>
  importCircles(graph).map(({ circle, component }) => `${circle.join(' → ')} (in a tangle of ${component.length} files: ${component.join(', ')})`)

const LAYER_OUTSIDE_DOMAIN = /^(rtm\/|http\/|admin\.ts$|server\.ts$|context\.ts$|main\.ts$|index\.ts$)/

describe('layers of packages/server/src', () => {
  const graph = importGraph()

  it('reads the imports of every file (multi-line and type-only ones too)', () => {
    expect(graph.size).toBeGreaterThan(40)
    expect(graph.get('server.ts')).toEqual(expect.arrayContaining(['admin.ts', 'options.ts', 'storage/memoryStorage.ts']))
    expect(graph.get('index.ts')).toEqual(expect.arrayContaining(['server.ts', 'storage/storage.ts']))
    expect(specifiersOf("import type {\n  A,\n  B,\n} from './a'\nexport * from './b'\nimport './c'\ntype T = import('./d').T\n// import { x } from './e'\n")).toEqual([
      './a',
      './b',
      './c',
      './d',
    ])
  })

  it('the domain imports nothing from the RTM layer, the HTTP layer, admin or server, not even indirectly', () => {
    const domain = [...graph.keys()].filter((file) => file.startsWith('domain/'))
    expect(domain.length).toBeGreaterThan(10)
    const direct = domain.flatMap((file) => (graph.get(file) ?? []).filter((target) => LAYER_OUTSIDE_DOMAIN.test(target)).map((target) => `${file} → ${target}`))
    expect(direct).toEqual([])
    const reached = new Set<string>()
    const pending = [...domain]
    while (pending.length > 0) {
      const file = pending.pop() as string
      for (const target of graph.get(file) ?? []) {
        if (reached.has(target)) continue
        reached.add(target)
        pending.push(target)
      }
    }
    expect([...reached].filter((file) => LAYER_OUTSIDE_DOMAIN.test(file)).sort()).toEqual([])
  })

  it('has no import circle (type-only imports count)', () => {
    expect(describeCircles(graph)).toEqual([])
  })
})
