/**
 * Where a connected idle client's heap goes (a development aid, not part of `pnpm bench`):
 * `tsx --conditions=@rapport/source heapDiff.ts [kind] [N]` starts the local server,
 * connects 50 clients (warm-up), snapshots the heap, connects N more, snapshots again, and prints
 * the difference per client by constructor (count and bytes per client).
 */
import { writeHeapSnapshot } from 'node:v8'
import { readFileSync, rmSync } from 'node:fs'
import { type ClientKind, prepare } from './clientKinds'
import { buildVanilla } from './rapportClient'
import { startStub } from './children'

const [kind = 'rapport', countText = '200'] = process.argv.slice(2)
const n = Number(countText)

const summarize = (file: string): Map<string, { count: number; size: number }> => {
  const snap = JSON.parse(readFileSync(file, 'utf8'))
  const fields: string[] = snap.snapshot.meta.node_fields
  const types: string[] = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number]
  const out = new Map<string, { count: number; size: number }>()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]]
    const name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`
    const key = `${type}:${String(name).slice(0, 60)}`
    const entry = out.get(key) ?? { count: 0, size: 0 }
    entry.count++
    entry.size += snap.nodes[i + sizeAt]
    out.set(key, entry)
  }
  return out
}

if (kind === 'rapport' && !process.env.RAPPORT_BENCH_VANILLA) process.env.RAPPORT_BENCH_VANILLA = await buildVanilla()
const stub = await startStub()
const create = await prepare(kind as ClientKind, stub.url)
const clients = Array.from({ length: 50 }, () => create())
await Promise.all(clients.map((c) => c.connected))
await new Promise((r) => setTimeout(r, 300))
const first = writeHeapSnapshot('/tmp/heap-before.heapsnapshot')
for (let i = 0; i < n; i++) clients.push(create())
await Promise.all(clients.map((c) => c.connected))
await new Promise((r) => setTimeout(r, 800))
const second = writeHeapSnapshot('/tmp/heap-after.heapsnapshot')
const a = summarize(first)
const b = summarize(second)
const rows = [...b].map(([key, v]) => ({ key, count: (v.count - (a.get(key)?.count ?? 0)) / n, bytes: (v.size - (a.get(key)?.size ?? 0)) / n }))
rows.sort((x, y) => y.bytes - x.bytes)
console.log(`per client, ${n} clients: ${(rows.reduce((s, r) => s + r.bytes, 0) / 1000).toFixed(1)} KB`)
for (const r of rows.slice(0, Number(process.env.TOP ?? 60))) console.log(`${r.bytes.toFixed(0).padStart(7)} B ${r.count.toFixed(2).padStart(7)} × ${r.key}`)
if (!process.env.KEEP) rmSync(first)
if (!process.env.KEEP) rmSync(second)
stub.stop()
process.exit(0)
