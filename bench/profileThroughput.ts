/**
 * Profiles one throughput client: `tsx --conditions=@rapport/source profileThroughput.ts <kind> [N]`
 * forks the stub server and one client with `--cpu-prof` into bench/results/profiles/.
 */
import { fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { buildVanilla } from './rapportClient'

const [kind = 'rapport', count = '20000'] = process.argv.slice(2)
const dir = new URL('./results/profiles/', import.meta.url).pathname
mkdirSync(dir, { recursive: true })
const built = kind === 'rapport' && process.env.SOURCE !== '1' ? await buildVanilla() : undefined
const server = fork(new URL('./throughputServer.ts', import.meta.url).pathname, [count], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const url = await new Promise<string>((resolve) => server.on('message', (m: { type: string; url?: string }) => m.type === 'ready' && m.url && resolve(m.url)))
for (let run = 0; run < 2; run++) {
  const client = fork(new URL('./throughputClient.ts', import.meta.url).pathname, [kind, url, count, '60000'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(built && { env: { ...process.env, RAPPORT_BENCH_VANILLA: built } }),
    execArgv: [...process.execArgv, ...(run === 1 ? (process.env.PROFILE_FLAGS ? process.env.PROFILE_FLAGS.split(' ') : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']) : [])],
  })
  const result = await new Promise((resolve) => client.on('message', (m: { type: string }) => m.type === 'result' && resolve(m)))
  console.log(run === 0 ? 'warm-up' : 'profiled', result)
  await new Promise((resolve) => client.on('exit', resolve))
}
server.kill()
console.log(`profile in ${dir}`)
