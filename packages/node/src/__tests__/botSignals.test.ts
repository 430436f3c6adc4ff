import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const fixture = fileURLToPath(new URL('./fixtures/signalBot.ts', import.meta.url))

describe('bot signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops the bot gracefully: the reply in flight is sent, then the process ends by the signal', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@rapport/source', fixture], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('in flight') && !child.killed) child.kill(signal)
    })
    const [code, by] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])))
    const lines = out.split('\n')
    const replied = lines.indexOf('replied')
    const stopped = lines.findIndex((line) => line.includes('"msg":"bot stopped"'))
    expect(replied).toBeGreaterThan(0)
    expect(stopped).toBeGreaterThan(replied)
    expect(out).toContain(`"signal":"${signal}"`)
    expect(by ?? code).toBe(signal)
  }, 20_000)
})
