/**
 * The CRM record of a chat customer: what `GET /v1/customers/{id}` serves, in the shape of
 * Kustomer's "Get Customer by ID" (seeds `001_…`/`002_…`, bots-and-crm.md §4), built from
 * the server's own customers. A customer is found by its chat customer id or by its
 * external id: the session field `external_id` (a chat customer sets it at login or with
 * `set_customer_session_fields`).
 *
 * Mapping: `name` ← name (absent when unknown); `displayName` ← name, else email, else
 * phone, else the id; `emails`/`phones`/`locations` ← email, phone number, address;
 * `avatarUrl` ← avatar; `externalId`/`externalIds` ← the `external_id` session field; the
 * other session fields become custom attributes `<key>Str`; `presence` ← connected or not;
 * `conversationCounts` ← the customer's chats (open: its active thread); `lastConversation`,
 * `lastMessageIn`, `preview`, `lastActivityAt`, `lastCustomerActivityAt` ← the latest chat's
 * latest thread; `lastSeenAt` ← the last page opened. Sentiment is unknown here and left
 * out (as for a customer the platform has not scored); the last conversation's is neutral.
 */
import { secretsEqual } from '../util/secrets'
import { CRM_CUSTOMER_READ_ROLE, type CrmApiKeyConfig } from '../options'
import type { ChatRecord, CustomerRecord, EventRecord } from '../storage/storage'
import type { DomainContext } from './context'

/** The session field that holds a customer's external id. */
export const EXTERNAL_ID_FIELD = 'external_id'

const READ_ROLES: ReadonlySet<string> = new Set([CRM_CUSTOMER_READ_ROLE, 'org.user.customer.read'])

export type CrmKeyAccess =
  /** No key, or not one of the configured keys (401). */
  | { kind: 'unknown' }
  /** A known key without the read role (403). */
  | { kind: 'forbidden'; key: Readonly<Required<CrmApiKeyConfig>> }
  | { kind: 'allowed'; key: Readonly<Required<CrmApiKeyConfig>> }

/** Who presents `presented`: each configured key is compared in constant time. */
export const crmKeyAccess = (ctx: DomainContext, presented: string | undefined): CrmKeyAccess => {
  if (presented === undefined || presented === '') return { kind: 'unknown' }
  let found: Readonly<Required<CrmApiKeyConfig>> | undefined
  for (const key of ctx.options.crmApiKeys) if (secretsEqual(presented, key.key) && found === undefined) found = key
  if (!found) return { kind: 'unknown' }
  return found.roles.some((role) => READ_ROLES.has(role)) ? { kind: 'allowed', key: found } : { kind: 'forbidden', key: found }
}

interface CrmEmailView {
  email: string
  id: null
  type: string
  verified: boolean
}

interface CrmResourceLinkView {
  data: { id: string; type: string }
  links: { self: string }
}

/** The attributes the server knows how to fill; the record's shape is seed `001_…`'s. */
export interface CrmCustomerView {
  type: 'customer'
  id: string
  attributes: {
    name?: string
    displayName: string
    displayColor: string
    displayIcon: string
    externalId?: string
    externalIds: Array<{ externalId: string; id: null; verified: boolean }>
    sharedExternalIds: unknown[]
    signedUpAt: string | null
    avatarUrl: string | null
    username: string | null
    emails: CrmEmailView[]
    sharedEmails: CrmEmailView[]
    phones: Array<{ phone: string; type: string; verified: boolean }>
    sharedPhones: unknown[]
    socials: unknown[]
    sharedSocials: unknown[]
    urls: unknown[]
    locations: Array<Record<string, string>>
    activeUsers: unknown[]
    watchers: unknown[]
    locale: string | null
    timeZone: string | null
    birthdayAt: string | null
    gender: string | null
    presence: 'online' | 'offline'
    createdAt: string
    updatedAt: string
    modifiedAt: string
    lastSeenAt?: string
    lastActivityAt?: string
    lastCustomerActivityAt?: string
    lastMessageIn?: { sentAt: string; sentiment: null }
    lastConversation?: { id: string; sentiment: { confidence: number; polarity: number }; tags: unknown[] }
    conversationCounts: { all: number; done: number; open: number; snoozed: number }
    preview?: { previewAt: string; subject: string; text: string; type: string }
    tags: unknown[]
    progressiveStatus: 'open' | 'done'
    verified: boolean
    rev: number
    custom?: Record<string, string>
  }
  relationships: {
    org: CrmResourceLinkView
    messages: { links: { self: string } }
  }
  links: { self: string }
}

const COLORS = ['blue', 'teal', 'green', 'yellow', 'orange', 'red', 'pink', 'purple'] as const
const ICONS = ['bird', 'cat', 'dog', 'fish', 'fox', 'owl', 'rabbit', 'turtle'] as const

/** A stable small number from an id (the colour and icon of a customer never change). */
const hashOf = (id: string): number => {
  let hash = 0
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) >>> 0
  return hash
}

/** The API's timestamps in the CRM's format: ISO 8601 with milliseconds (`…T11:42:47.383Z`). */
const isoMillis = (timestamp: string): string => {
  const ms = Date.parse(timestamp)
  return Number.isNaN(ms) ? timestamp : new Date(ms).toISOString()
}

const latest = (...timestamps: Array<string | undefined>): string | undefined =>
  timestamps.reduce<string | undefined>((best, t) => (t !== undefined && (best === undefined || t > best) ? t : best), undefined)

const sessionFieldsOf = (customer: CustomerRecord): Map<string, string> => {
  const fields = new Map<string, string>()
  for (const field of customer.session_fields ?? []) for (const [key, value] of Object.entries(field)) fields.set(key, value)
  return fields
}

const messageText = (event: EventRecord): string | undefined => (event.type === 'message' && typeof event.text === 'string' ? event.text : undefined)

/** The customer with that chat customer id, or else with that external id, in the organization. */
export const findCrmCustomer = (ctx: DomainContext, organizationId: string, id: string): CustomerRecord | undefined =>
  ctx.storage.getCustomer(organizationId, id) ?? ctx.storage.findCustomerBySessionField(organizationId, EXTERNAL_ID_FIELD, id)

interface Activity {
  chats: ChatRecord[]
  open: number
  latestChat?: ChatRecord
  events: EventRecord[]
}

const activityOf = (ctx: DomainContext, customer: CustomerRecord): Activity => {
  const chats = ctx.storage.listCustomerChats(customer.organization_id, customer.id)
  let open = 0
  for (const chat of chats) {
    const last = chat.thread_ids.at(-1)
    if (last !== undefined && ctx.storage.getThread(chat.organization_id, last)?.active === true) open += 1
  }
  const latestChat = chats.at(-1)
  const lastThread = latestChat?.thread_ids.at(-1)
  const events = latestChat && lastThread !== undefined ? ctx.storage.listEvents(latestChat.organization_id, lastThread).filter((e) => e.deleted !== true) : []
  return { chats, open, ...(latestChat ? { latestChat } : {}), events }
}

/** The CRM record of a customer. */
export const crmCustomerView = (ctx: DomainContext, customer: CustomerRecord): CrmCustomerView => {
  const fields = sessionFieldsOf(customer)
  const externalId = fields.get(EXTERNAL_ID_FIELD)
  fields.delete(EXTERNAL_ID_FIELD)
  const { chats, open, latestChat, events } = activityOf(ctx, customer)
  const lastEvent = events.at(-1)
  const customerEvents = events.filter((e) => e.author_id === customer.id)
  const lastCustomerEvent = customerEvents.at(-1)
  const lastCustomerMessage = customerEvents.filter((e) => messageText(e) !== undefined).at(-1)
  const lastMessage = events.filter((e) => messageText(e) !== undefined).at(-1)
  const updated = latest(customer.created_at, customer.last_page?.opened_at, lastEvent?.created_at) ?? customer.created_at
  const hash = hashOf(customer.id)
  const custom = Object.fromEntries([...fields].map(([key, value]) => [`${key}Str`, value]))
  const address = customer.address
  const location: Record<string, string> = {}
  if (address?.address !== undefined) location.address = address.address
  if (address?.city !== undefined) location.city = address.city
  if (address?.state !== undefined) location.regionName = address.state
  if (address?.postal_code !== undefined) location.zipCode = address.postal_code
  if (address?.country !== undefined) location.countryName = address.country
  const org = customer.organization_id
  const self = `/v1/customers/${encodeURIComponent(customer.id)}`

  return {
    type: 'customer',
    id: customer.id,
    attributes: {
      ...(customer.name !== undefined ? { name: customer.name } : {}),
      displayName: customer.name ?? customer.email ?? customer.phone_number ?? customer.id,
      displayColor: COLORS[hash % COLORS.length] ?? 'blue',
      displayIcon: ICONS[(hash >>> 8) % ICONS.length] ?? 'bird',
      ...(externalId !== undefined ? { externalId } : {}),
      externalIds: externalId !== undefined ? [{ externalId, id: null, verified: false }] : [],
      sharedExternalIds: [],
      signedUpAt: null,
      avatarUrl: customer.avatar ?? null,
      username: null,
      emails: customer.email !== undefined ? [{ email: customer.email, id: null, type: 'other', verified: false }] : [],
      sharedEmails: [],
      phones: customer.phone_number !== undefined ? [{ phone: customer.phone_number, type: 'other', verified: false }] : [],
      sharedPhones: [],
      socials: [],
      sharedSocials: [],
      urls: [],
      locations: Object.keys(location).length > 0 ? [{ type: 'other', ...location }] : [],
      activeUsers: [],
      watchers: [],
      locale: null,
      timeZone: null,
      birthdayAt: null,
      gender: null,
      presence: ctx.presence.isCustomerConnected(org, customer.id) ? 'online' : 'offline',
      createdAt: isoMillis(customer.created_at),
      updatedAt: isoMillis(updated),
      modifiedAt: isoMillis(updated),
      ...(customer.last_page ? { lastSeenAt: isoMillis(customer.last_page.opened_at) } : {}),
      ...(lastEvent ? { lastActivityAt: isoMillis(lastEvent.created_at) } : {}),
      ...(lastCustomerEvent ? { lastCustomerActivityAt: isoMillis(lastCustomerEvent.created_at) } : {}),
      ...(lastCustomerMessage ? { lastMessageIn: { sentAt: isoMillis(lastCustomerMessage.created_at), sentiment: null } } : {}),
      ...(latestChat ? { lastConversation: { id: latestChat.id, sentiment: { confidence: 0, polarity: 0 }, tags: [] } } : {}),
      conversationCounts: { all: chats.length, done: chats.length - open, open, snoozed: 0 },
      ...(lastMessage ? { preview: { previewAt: isoMillis(lastMessage.created_at), subject: '', text: messageText(lastMessage) ?? '', type: 'chat' } } : {}),
      tags: [],
      progressiveStatus: open > 0 ? 'open' : 'done',
      verified: false,
      rev: 1 + customer.statistics.visits_count,
      ...(Object.keys(custom).length > 0 ? { custom } : {}),
    },
    relationships: {
      org: { data: { id: org, type: 'org' }, links: { self: `/v1/orgs/${encodeURIComponent(org)}` } },
      messages: { links: { self: `${self}/messages` } },
    },
    links: { self },
  }
}
