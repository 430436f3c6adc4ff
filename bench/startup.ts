/**
 * `init()` → `connected`, cold and warm: each repetition forks one fresh process per kind
 * (interleaved) against the stub server in its own process (see startupClient.ts). Cold is
 * the first client of a process; warm the median of sequential clients after a warm-up.
 * The figures are medians over the processes.
 */
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { CLIENT_KINDS, type ClientKind, VANILLA_MODULE } from './clientKinds'
import { runChild, startStub } from './children'
import { median, pairRow } from './report'
import { buildVanilla } from './rapportClient'
import { record } from './results'
import type { StartupResult } from './startupClient'

export interface StartupOptions {
  /** Fresh processes per kind. */
  repetitions: number
  warmups: number
  /** Timed warm clients per process. */
  samples: number
}

const LABEL: Record<ClientKind, string> = { ws: 'raw ws', livechat: 'sdk 4.0.2', rapport: 'ours' }

export const startup = async ({ repetitions, warmups, samples }: StartupOptions): Promise<void> => {
  console.log(
    `\n# init() → connected, against the stub server (own process): cold (first client of a fresh process, module already loaded) and warm (median of ${samples} sequential after ${warmups}); median of ${repetitions} processes per kind` +
      ' — baselines: @livechat/customer-sdk 4.0.2 init(), a raw ws socket that logs in',
  )
  const stub = await startStub()
  const vanilla = await buildVanilla()
  const env = { [VANILLA_MODULE]: vanilla }
  const results: Record<ClientKind, StartupResult[]> = { ws: [], livechat: [], rapport: [] }
  try {
    for (let rep = 0; rep < repetitions; rep++)
      for (const kind of CLIENT_KINDS)
        results[kind].push(await runChild<StartupResult>('startupClient.ts', [kind, stub.url, String(warmups), String(samples)], 120_000, env))
  } finally {
    stub.stop()
    rmSync(dirname(vanilla), { recursive: true, force: true })
  }
  const med = (kind: ClientKind, key: 'coldMs' | 'warmMs') => median(results[kind].map((r) => r[key]))
  for (const key of ['coldMs', 'warmMs'] as const) {
    const name = key === 'coldMs' ? 'init → connected, cold' : 'init → connected, warm'
    pairRow(name, [LABEL.rapport, `${med('rapport', key).toFixed(2)} ms`], [LABEL.livechat, `${med('livechat', key).toFixed(2)} ms`], (med('rapport', key) / med('livechat', key)).toFixed(2))
    pairRow('', [LABEL.ws, `${med('ws', key).toFixed(2)} ms`], ['', ''], '')
    record({
      section: 'startup',
      metric: `init() → connected, ${key === 'coldMs' ? 'cold (first client of a process)' : 'warm'}`,
      unit: 'ms',
      rapport: med('rapport', key),
      official: med('livechat', key),
      ws: med('ws', key),
      target: { against: 'official', max: 1.2 },
      note: `median of ${repetitions} fresh processes per kind${key === 'warmMs' ? `, each the median of ${samples} sequential clients` : ''}`,
    })
  }
  const runs = (kind: ClientKind) => results[kind].map((r) => `${r.coldMs.toFixed(1)}/${r.warmMs.toFixed(2)}`).join(', ')
  console.log(`  runs (cold/warm ms): raw ws ${runs('ws')}; sdk 4.0.2 ${runs('livechat')}; ours ${runs('rapport')}`)
}
