/**
 * Customer data actions (customer-rtm §5.4). `update_customer` and
 * `set_customer_session_fields` push `customer_updated` (the changed fields and `id`) to
 * the customer's connections and to agents with access to one of its chats. Session
 * fields merge by key (a new key is appended, an existing key keeps its place); more than
 * 100 keys in total is `customer_session_fields_limit_reached`.
 */
import { LIMITS, type WireSessionFields } from '@rapport/protocol'
import { groupStatus } from '../../domain/groups'
import { customerView } from '../../domain/views'
import { MAX_VISIT_PAGES, type CustomerRecord } from '../../storage/storage'
import { RtmError } from '../rtmError'
import { customerSchemas as s } from '../schemas'
import { action, requireCustomer, type CustomerActionTable, type CustomerRequest } from './common'

const mergeSessionFields = (current: WireSessionFields | undefined, update: WireSessionFields): WireSessionFields => {
  const entries = new Map<string, string>()
  for (const field of current ?? []) for (const [k, v] of Object.entries(field)) entries.set(k, v)
  for (const field of update) for (const [k, v] of Object.entries(field)) entries.set(k, v)
  if (entries.size > LIMITS.sessionFieldsMax) {
    throw new RtmError('customer_session_fields_limit_reached', `More than ${LIMITS.sessionFieldsMax} session fields`)
  }
  return [...entries].map(([k, v]) => ({ [k]: v }))
}

/** Stores the changes and pushes `customer_updated` after the response. */
const applyCustomerChange = (request: CustomerRequest, customer: CustomerRecord, changes: Partial<CustomerRecord>): void => {
  const { ctx, connection, requestId } = request
  ctx.storage.putCustomer({ ...customer, ...changes })
  const changed = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
  const payload = { id: customer.id, ...changed }
  request.afterResponse(() => {
    ctx.publisher.toCustomer(connection.organizationId, customer.id, 'customer_updated', payload, { requester: connection, ...(requestId === undefined ? {} : { requestId }) })
    const chats = ctx.storage.listCustomerChats(connection.organizationId, customer.id)
    for (const agent of ctx.publisher.agentsWithAccess(connection.organizationId, chats)) agent.push('customer_updated', payload)
  })
}

export const customerActions: CustomerActionTable = {
  get_customer: action(s.get_customer, (request) => customerView(request.ctx, requireCustomer(request), { statistics: true })),

  update_customer: action(s.update_customer, (request, payload) => {
    const customer = requireCustomer(request)
    const changes: Partial<CustomerRecord> = {
      ...(payload.name === undefined ? {} : { name: payload.name }),
      ...(payload.email === undefined ? {} : { email: payload.email }),
      ...(payload.avatar === undefined ? {} : { avatar: payload.avatar }),
      ...(payload.session_fields === undefined ? {} : { session_fields: mergeSessionFields(customer.session_fields, payload.session_fields) }),
      ...(payload.omnichannel === undefined ? {} : { omnichannel: { ...customer.omnichannel, ...payload.omnichannel } }),
      ...(payload.address === undefined ? {} : { address: payload.address }),
      ...(payload.omnichannel?.twilio ? { phone_number: payload.omnichannel.twilio.phone_number } : {}),
    }
    applyCustomerChange(request, customer, changes)
    return {}
  }),

  set_customer_session_fields: action(s.set_customer_session_fields, (request, payload) => {
    const customer = requireCustomer(request)
    applyCustomerChange(request, customer, { session_fields: mergeSessionFields(customer.session_fields, payload.session_fields) })
    return {}
  }),

  /**
   * Records the page (and a page view). When the URL matches the `pages` prefixes of
   * another group, the connection moves to that group and the response lists it:
   * `{groups: [{id, status}]}`; otherwise `{}`.
   */
  update_customer_page: action(s.update_customer_page, (request, payload) => {
    const { ctx, connection, session } = request
    const customer = requireCustomer(request)
    const page = { url: payload.url, ...(payload.title === undefined ? {} : { title: payload.title }), opened_at: ctx.clock.timestamp() }
    ctx.storage.putCustomer({
      ...customer,
      last_page: page,
      ...(customer.visit === undefined ? {} : { visit: { ...customer.visit, last_pages: [...customer.visit.last_pages, page].slice(-MAX_VISIT_PAGES) } }),
      statistics: { ...customer.statistics, page_views_count: customer.statistics.page_views_count + 1 },
    })
    const groupId = ctx.groups.groupForPage(payload.url)
    if (groupId === undefined || groupId === session.groupId) return {}
    connection.session = { ...session, groupId }
    return { groups: [{ id: groupId, status: groupStatus(ctx, connection.organizationId, groupId) }] }
  }),
}
