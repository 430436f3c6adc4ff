import type { DomainContext } from './context'

export const isLicenseExpired = (ctx: DomainContext, organizationId: string): boolean =>
  ctx.storage.getOrganization(organizationId)?.license_expired === true
