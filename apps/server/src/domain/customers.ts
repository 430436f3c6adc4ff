import type { CustomerRecord } from '../storage/storage'
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

export const isOrganizationAllowed = (ctx: DomainContext, organizationId: string): boolean =>
  ctx.options.organizations === undefined || ctx.options.organizations.has(organizationId)
