/**
 * The server's limits at run time: the per-server state `createServer` adds to its context
 * (figures, page-id signer, window limiters, traffic counters), the per-socket flow of each
 * connection, and the periodic sweep (expiry of unused customers, pruning of the limiters).
 */
import type { ServerContext } from './context'
import { purgeUnusedCustomers } from './domain/customers'
import { createLimiters, resolveLimits, type ServerLimiters, type ServerLimits, type ServerLimitsInput } from './limits'
import { createTrafficStats, type ConnectionFlow, type TrafficStats } from './rtm/connection'
import { PageIds } from './util/paging'

export interface LimitsContext {
  readonly limits: ServerLimits
  readonly pageIds: PageIds
  readonly limiters: ServerLimiters
  readonly traffic: TrafficStats
}

export const createLimitsContext = (input: ServerLimitsInput | undefined, now: () => number = Date.now): LimitsContext => {
  const limits = resolveLimits(input)
  return { limits, pageIds: new PageIds(limits.pageIdSecret), limiters: createLimiters(limits, now), traffic: createTrafficStats() }
}

export const connectionFlow = (limits: ServerLimits): ConnectionFlow => ({
  requestsPerSecond: limits.requestsPerSecond,
  requestBurst: limits.requestBurst,
  outgoingHighWaterBytes: limits.outgoingHighWaterBytes,
  outgoingHardCapBytes: limits.outgoingHardCapBytes,
  slowReaderTimeoutMs: limits.slowReaderTimeoutMs,
})

export interface SweepReport {
  /** Customers deleted because they were never used within `unusedCustomerTtlMs`. */
  customersDeleted: number
}

export interface Sweeper {
  /** Runs the sweep now (`nowMs`: the time it takes as "now", default the clock's). */
  sweep(nowMs?: number): SweepReport
  stop(): void
}

/** Starts the periodic sweep on an unref'd timer (it never keeps the process alive); `sweepIntervalMs` 0 only allows direct calls. */
export const startSweeper = (ctx: ServerContext): Sweeper => {
  const sweep = (nowMs = ctx.clock.nowMs()): SweepReport => {
    ctx.limiters.prune()
    return { customersDeleted: purgeUnusedCustomers(ctx, nowMs, ctx.limits.unusedCustomerTtlMs) }
  }
  const interval = ctx.limits.sweepIntervalMs
  const timer =
    interval > 0
      ? setInterval(() => {
          try {
            const report = sweep()
            if (report.customersDeleted > 0) ctx.options.logger.info(`sweep: deleted ${report.customersDeleted} unused customers`)
          } catch (error) {
            ctx.options.logger.error('sweep failed', error)
          }
        }, interval)
      : undefined
  timer?.unref()
  return { sweep, stop: () => clearInterval(timer) }
}
