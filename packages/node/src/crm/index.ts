// The CRM customer record: a typed client for Kustomer's "Get Customer by ID".
export * from './crmClient'
export * from './crmError'
// the record's types named one by one: `export type *` of a module with values is emitted as
// a value export in the bundled declarations (it promised `customerResponseSchema`)
export type {
  CrmConversationCounts,
  CrmCustomValue,
  CrmCustomer,
  CrmCustomerAttributes,
  CrmCustomerRelationships,
  CrmEmail,
  CrmExternalId,
  CrmLastConversation,
  CrmLastMessageIn,
  CrmPreview,
  CrmResourceLink,
  CrmSentiment,
  CustomerParse,
} from './customer'
export { parseCustomerResponse } from './customer'
