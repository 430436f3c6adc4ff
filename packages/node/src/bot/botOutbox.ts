/**
 * The bot's outbound throttle: every action the bot sends goes through it. Requests of one
 * chat go out one after another, in order; requests of different chats go out side by side
 * (at most `concurrency` at once). A `too_many_requests` answer pauses every send for a
 * backoff (`min(maxDelayMs, baseDelayMs·2^(n−1))`, drawn in its upper half) and the
 * request is tried again, up to `maxAttempts` in all; the pause grows with each refusal in
 * a row and resets after a success. `flush()` resolves when nothing is queued or in flight.
 */
import type { AgentActionMap } from '@rapport/protocol'
import type { AgentAction } from '../agent/agentTransport'
import type { BotLogger } from './botLogger'

export interface ThrottlePolicy {
  /** Requests in flight at once, across chats. Default 4. */
  concurrency: number
  /** Backoff after the first `too_many_requests`; default 500 ms. */
  baseDelayMs: number
  /** Longest backoff; default 30 s. */
  maxDelayMs: number
  /** Tries of one request in all (the first included); default 6. */
  maxAttempts: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { concurrency: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 6 }

export interface BotOutbox {
  request<A extends AgentAction>(action: A, payload: AgentActionMap[A]['request'], chatId?: string): Promise<AgentActionMap[A]['response']>
  /** Resolves once every accepted request has settled. */
  flush(): Promise<void>
  /** Requests queued or in flight. */
  readonly size: number
}

export interface BotOutboxOptions {
  send<A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']): Promise<AgentActionMap[A]['response']>
  policy?: Partial<ThrottlePolicy>
  random?: () => number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  log: BotLogger
}

const isTooManyRequests = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error.code === 'TOO_MANY_REQUESTS' || error.code === 'too_many_requests')

export const createBotOutbox = (options: BotOutboxOptions): BotOutbox => {
  const policy = { ...DEFAULT_THROTTLE, ...options.policy }
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const chains = new Map<string, Promise<unknown>>()
  const waiting: Array<() => void> = []
  let active = 0
  let size = 0
  let refusals = 0
  let resumeAt = 0
  const drained: Array<() => void> = []

  const acquire = async (): Promise<void> => {
    if (active < policy.concurrency) {
      active += 1
      return
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const release = (): void => {
    const next = waiting.shift()
    if (next) next()
    else active -= 1
  }

  const attempt = async <A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']): Promise<AgentActionMap[A]['response']> => {
    for (let n = 1; ; n++) {
      const wait = resumeAt - now()
      if (wait > 0) await sleep(wait)
      await acquire()
      try {
        const answer = await options.send(action, payload)
        refusals = 0
        return answer
      } catch (error) {
        if (!isTooManyRequests(error) || n >= policy.maxAttempts) throw error
        refusals += 1
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (refusals - 1))
        const delay = ceiling * (0.5 + 0.5 * random())
        resumeAt = Math.max(resumeAt, now() + delay)
        options.log.warn({ action, attempt: n, delayMs: Math.round(delay) }, 'too_many_requests: backing off')
      } finally {
        release()
      }
    }
  }

  return {
    request(action, payload, chatId) {
      size += 1
      const key = chatId ?? ''
      const previous = chatId === undefined ? Promise.resolve() : (chains.get(key) ?? Promise.resolve())
      const result = previous.then(() => attempt(action, payload))
      const settled = result.then(
        () => {},
        () => {},
      )
      if (chatId !== undefined) {
        chains.set(key, settled)
        void settled.then(() => {
          if (chains.get(key) === settled) chains.delete(key)
        })
      }
      void settled.then(() => {
        size -= 1
        if (size === 0) for (const resolve of drained.splice(0)) resolve()
      })
      return result
    },
    flush: () => (size === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
    get size() {
      return size
    },
  }
}
