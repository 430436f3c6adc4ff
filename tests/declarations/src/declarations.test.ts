import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { publicPackages } from './publicPackages'

interface Declared {
  values: string[]
  types: string[]
  unresolved: string[]
}
const declaredCache = new Map<string, Declared>()

/**
 * What a package's declarations export, split into values (a function, class, constant:
 * something an `import` gives at run time) and types only. Read by the TypeScript
 * checker, following re-exports into the other packages' declarations as a user's
 * compiler would (NodeNext: `.d.ts` as ESM, `.d.cts` as CommonJS).
 */
const declaredExports = (file: string): Declared => {
  const known = declaredCache.get(file)
  if (known) return known
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  const moduleSymbol = source && checker.getSymbolAtLocation(source)
  if (!moduleSymbol) throw new Error(`${file}: not a module`)
  const values: string[] = []
  const types: string[] = []
  const unresolved: string[] = []
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    // a re-export the checker cannot follow ends on its `unknown` symbol
    if (target.name === 'unknown' && target.declarations === undefined) unresolved.push(symbol.name)
    else if (target.flags & ts.SymbolFlags.Value) values.push(symbol.name)
    else types.push(symbol.name)
  }
  const declared = { values: values.sort(), types: types.sort(), unresolved: unresolved.sort() }
  declaredCache.set(file, declared)
  return declared
}

const packages = publicPackages()

describe('every public package exports at run time what its declarations promise', () => {
  it('finds the public packages', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@rapport/protocol', '@rapport/core', '@rapport/customer-sdk']))
  })

  describe.each(packages)('$name', (pkg) => {
    it('ESM: every value its .d.ts names is exported by its import entry, and nothing else', async () => {
      const declared = declaredExports(pkg.esm.types)
      expect(declared.unresolved, 'exports whose declaration cannot be found').toEqual([])
      expect(declared.values.length).toBeGreaterThan(0)
      const module: Record<string, unknown> = await import(pathToFileURL(pkg.esm.js).href)
      const missing = declared.values.filter((name) => !(name in module) || module[name] === undefined)
      expect(missing, 'declared as values, missing at run time').toEqual([])
      const undeclared = Object.keys(module).filter((name) => name !== 'default' && !declared.values.includes(name))
      expect(undeclared, 'exported at run time, not declared as values').toEqual([])
    })

    const cjs = pkg.cjs
    // an ESM-only package (@rapport/svelte) has no CommonJS entry to check
    if (!cjs) return

    it('CJS: every value its .d.cts names is a property of require()', () => {
      const declared = declaredExports(cjs.types)
      expect(declared.unresolved, 'exports whose declaration cannot be found').toEqual([])
      const module: Record<string, unknown> = createRequire(pathToFileURL(dirname(cjs.js) + '/').href)(cjs.js)
      const missing = declared.values.filter((name) => module[name] === undefined)
      expect(missing, 'declared as values, undefined at run time').toEqual([])
      const undeclared = Object.keys(module).filter((name) => name !== '__esModule' && !declared.values.includes(name))
      expect(undeclared, 'exported at run time, not declared as values').toEqual([])
    })

    it('ESM and CJS declare the same values and types', () => {
      const esm = declaredExports(pkg.esm.types)
      const commonjs = declaredExports(cjs.types)
      expect(commonjs.values).toEqual(esm.values)
      expect(commonjs.types).toEqual(esm.types)
    })
  })
})
