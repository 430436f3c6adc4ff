import type { ServerContext } from '../context'

export const isLicenseExpired = (ctx: ServerContext, organizationId: string): boolean =>
  ctx.storage.getOrganization(organizationId)?.license_expired === true
