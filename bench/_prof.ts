import { writeHeapSnapshot } from 'node:v8'
import { collect, startStub } from './children'
import { prepare, type ClientKind } from './clientKinds'
const kind = (process.argv[2] ?? 'rapport') as ClientKind
const n = Number(process.argv[3] ?? 200)
const stub = await startStub()
const create = await prepare(kind, stub.url)
const clients = [create()]
await clients[0]?.connected
await new Promise((r) => setTimeout(r, 300))
await collect()
writeHeapSnapshot(`/tmp/memprof/${kind}-1.heapsnapshot`)
for (let i = 0; i < n; i += 50) {
  const batch = Array.from({ length: Math.min(50, n - i) }, () => create())
  clients.push(...batch)
  await Promise.all(batch.map((c) => c.connected))
}
await new Promise((r) => setTimeout(r, 500))
await collect()
writeHeapSnapshot(`/tmp/memprof/${kind}-n.heapsnapshot`)
stub.stop()
process.exit(0)
