import type { CustomerRecord } from '../storage/storage'
import { formatMicros } from '../util/clock'
import { secret, uuid } from '../util/ids'
import type { DomainContext } from './context'

/** The customer with that id in the organization, created (new identity secret) when missing. */
export const ensureCustomer = (ctx: DomainContext, organizationId: string, customerId: string = uuid()): CustomerRecord => {
  const existing = ctx.storage.getCustomer(organizationId, customerId)
  if (existing) return existing
  const customer: CustomerRecord = {
    id: customerId,
    organization_id: organizationId,
    identity_secret: secret(),
    created_at: ctx.clock.timestamp(),
    statistics: {
      chats_count: 0,
      threads_count: 0,
      visits_count: 0,
      page_views_count: 0,
      greetings_shown_count: 0,
      greetings_accepted_count: 0,
    },
  }
  ctx.storage.putCustomer(customer)
  return customer
}

/** Customers deleted by one sweep at most (the next sweep takes the rest). */
const SWEEP_BATCH = 10_000

/**
 * Deletes, with their tokens, the customers that were never used — never logged in, no
 * chat, no greeting, not banned — created more than `ttlMs` before `nowMs` (the token
 * endpoint creates one per new browser; most never connect). Returns how many. `ttlMs` 0
 * keeps everyone.
 */
export const purgeUnusedCustomers = (ctx: DomainContext, nowMs: number, ttlMs: number): number => {
  if (ttlMs <= 0) return 0
  const createdBefore = formatMicros(Math.max(0, nowMs - ttlMs) * 1000)
  return ctx.storage.transaction(() => {
    const unused = ctx.storage.listUnusedCustomers(createdBefore, SWEEP_BATCH)
    for (const customer of unused) ctx.storage.deleteCustomer(customer.organization_id, customer.id)
    return unused.length
  })
}

export const isOrganizationAllowed = (ctx: DomainContext, organizationId: string): boolean =>
  ctx.options.organizations === undefined || ctx.options.organizations.has(organizationId)
