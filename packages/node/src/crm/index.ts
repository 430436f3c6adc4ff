// The CRM customer record: a typed client for Kustomer's "Get Customer by ID".
export * from './crmClient'
export * from './crmError'
export type * from './customer'
export { parseCustomerResponse } from './customer'
