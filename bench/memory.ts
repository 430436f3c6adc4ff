/**
 * Memory per connected idle client: N clients of one kind in one fresh process, against
 * the stub server in another; heap used and RSS per client, after garbage collection
 * (see memoryClient.ts). Kinds are interleaved repetition by repetition; medians.
 */
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { CLIENT_KINDS, type ClientKind, VANILLA_MODULE } from './clientKinds'
import { runChild, startStub } from './children'
import type { MemoryResult } from './memoryClient'
import { median, pairRow } from './report'
import { buildVanilla } from './rapportClient'
import { record } from './results'

export interface MemoryOptions {
  /** Clients per process. */
  clients: number
  repetitions: number
}

const LABEL: Record<ClientKind, string> = { ws: 'raw ws', livechat: 'sdk 4.0.2', rapport: 'ours' }

export const memory = async ({ clients, repetitions }: MemoryOptions): Promise<void> => {
  console.log(
    `\n# Memory per connected idle client: ${clients} clients in one fresh process per kind (Rapport: vanilla init(), built as a bundler ships it), stub server in another, after gc; median of ${repetitions}` +
      ' — baselines: @livechat/customer-sdk 4.0.2 init(), a raw ws socket that logged in',
  )
  const stub = await startStub()
  const vanilla = await buildVanilla()
  const env = { [VANILLA_MODULE]: vanilla }
  const results: Record<ClientKind, MemoryResult[]> = { ws: [], livechat: [], rapport: [] }
  try {
    for (let rep = 0; rep < repetitions; rep++)
      for (const kind of CLIENT_KINDS) results[kind].push(await runChild<MemoryResult>('memoryClient.ts', [kind, stub.url, String(clients)], 120_000, env))
  } finally {
    stub.stop()
    rmSync(dirname(vanilla), { recursive: true, force: true })
  }
  const med = (kind: ClientKind, key: 'heapKB' | 'rssKB') => median(results[kind].map((r) => r[key]))
  for (const key of ['heapKB', 'rssKB'] as const) {
    const name = key === 'heapKB' ? 'heap per client' : 'RSS per client'
    pairRow(name, [LABEL.rapport, `${med('rapport', key).toFixed(1)} KB`], [LABEL.livechat, `${med('livechat', key).toFixed(1)} KB`], (med('rapport', key) / med('livechat', key)).toFixed(2))
    pairRow('', [LABEL.ws, `${med('ws', key).toFixed(1)} KB`], ['', ''], '')
  }
  const note = `${clients} clients per process, median of ${repetitions}; KB = 1,000 bytes`
  record({
    section: 'memory',
    metric: 'heap per connected idle client',
    unit: 'KB',
    rapport: med('rapport', 'heapKB'),
    official: med('livechat', 'heapKB'),
    ws: med('ws', 'heapKB'),
    other: { label: 'budget', value: 20 },
    target: { against: 'other', max: 1 },
    note,
  })
  record({
    section: 'memory',
    metric: 'RSS per connected idle client',
    unit: 'KB',
    rapport: med('rapport', 'rssKB'),
    official: med('livechat', 'rssKB'),
    ws: med('ws', 'rssKB'),
    target: { against: 'official', max: 1 },
    note,
  })
  const runs = (kind: ClientKind) => results[kind].map((r) => `${r.heapKB.toFixed(1)}/${r.rssKB.toFixed(0)}`).join(', ')
  console.log(`  runs (heap/RSS KB): raw ws ${runs('ws')}; sdk 4.0.2 ${runs('livechat')}; ours ${runs('rapport')}`)
}
