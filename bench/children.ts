/**
 * Child processes of the memory and startup benchmarks: the stub server (throughputServer.ts,
 * which answers login and the token endpoint) and one fresh process per client run, each
 * answering with one `{type:'result', …}` message.
 */
import { type ChildProcess, fork } from 'node:child_process'

const script = (name: string): string => new URL(name, import.meta.url).pathname

/**
 * Forks a bench script; children inherit this process's loader and conditions (tsx,
 * @rapport/source), plus `--expose-gc` so that they can collect before they measure.
 */
export const forkChild = (name: string, args: string[], env?: Record<string, string>): { child: ChildProcess; stderr: () => string } => {
  const child = fork(script(name), args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [...process.execArgv, '--expose-gc'],
    ...(env && { env: { ...process.env, ...env } }),
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000)
  })
  return { child, stderr: () => stderr }
}

/** Starts the stub server in its own process; resolves with its URL and a stop. */
export const startStub = async (): Promise<{ url: string; stop(): void }> => {
  // one push per get_customer: these benchmarks never ask for it
  const server = forkChild('throughputServer.ts', ['1'])
  const url = await new Promise<string>((resolve, reject) => {
    server.child.on('message', (message: { type: string; url?: string }) => {
      if (message.type === 'ready' && message.url) resolve(message.url)
    })
    server.child.on('exit', (code) => reject(new Error(`stub server exited with ${code}: ${server.stderr()}`)))
  })
  return { url, stop: () => void server.child.kill() }
}

/** Runs a child script to its one result message; rejects when it exits first or takes longer than `ms`. */
export const runChild = <T extends { type: 'result' }>(name: string, args: string[], ms: number, env?: Record<string, string>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const { child, stderr } = forkChild(name, args, env)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} ${args[0] ?? ''}: no result in ${ms / 1000} s`))
    }, ms)
    child.on('message', (message: T) => {
      if (message.type !== 'result') return
      clearTimeout(timer)
      resolve(message)
      if (child.exitCode === null) child.kill()
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} ${args[0] ?? ''} exited with ${code}: ${stderr().trim().split('\n').slice(-3).join(' | ')}`))
    })
  })

/** Collects garbage until the heap stops shrinking (the child runs with --expose-gc). */
export const collect = async (): Promise<void> => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('bench: run with --expose-gc')
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export type { ChildProcess }
