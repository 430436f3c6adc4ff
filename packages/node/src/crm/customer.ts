/**
 * The CRM customer record: the `data` of Kustomer's "Get Customer by ID" answer
 * (`GET /v1/customers/{id}`, seeds `001_…` and `002_…`, bots-and-crm.md §4), a JSON:API
 * resource `{type: 'customer', id, attributes, relationships, links}`.
 *
 * Names are the documented ones: the API already speaks camelCase, so nothing is renamed
 * and timestamps stay ISO 8601 strings as sent. Types are seed `001_…`'s (its TypeScript
 * shape; the schema of `002_…` types every leaf as a string, which the API does not send).
 * Two departures, both documented in the README: what a customer may not have yet — a
 * name, an external id, any activity (`lastActivityAt`, `lastCustomerActivityAt`,
 * `lastSeenAt`, `lastMessageIn`, `lastConversation`, `preview`, `recentLocation`,
 * `sentiment`) and `relationships.modifiedBy` — is optional; and the organization's
 * custom attributes (`attributes.custom`, names ending in their type: `…Num`, `…At`,
 * `…Str`, `…Txt`, `…Bool`, `…Url`) are kept as sent. Attributes the seeds do not name are
 * dropped.
 */
import { z } from 'zod'

export interface CrmEmail {
  email: string
  id: string | null
  type: string
  verified: boolean
}

export interface CrmExternalId {
  externalId: string
  id: string | null
  verified: boolean
}

export interface CrmSentiment {
  confidence: number
  polarity: number
}

export interface CrmConversationCounts {
  all: number
  done: number
  open: number
  snoozed: number
}

export interface CrmLastConversation {
  id: string
  sentiment: CrmSentiment
  tags: unknown[]
}

export interface CrmLastMessageIn {
  sentAt: string
  sentiment: string | null
}

export interface CrmPreview {
  previewAt: string
  subject: string
  text: string
  type: string
}

/** A custom attribute's value: its name's suffix says which (`…Num` a number, `…Bool` a boolean, the others strings). */
export type CrmCustomValue = string | number | boolean | null | readonly (string | number)[]

export interface CrmCustomerAttributes {
  name?: string
  displayName: string
  displayColor: string
  displayIcon: string
  externalId?: string
  externalIds: CrmExternalId[]
  sharedExternalIds: unknown[]
  signedUpAt: string | null
  avatarUrl: string | null
  username: string | null
  emails: CrmEmail[]
  sharedEmails: CrmEmail[]
  phones: unknown[]
  sharedPhones: unknown[]
  socials: unknown[]
  sharedSocials: unknown[]
  urls: unknown[]
  locations: unknown[]
  activeUsers: unknown[]
  watchers: unknown[]
  recentLocation?: { updatedAt: string }
  locale: string | null
  timeZone: string | null
  birthdayAt: string | null
  gender: string | null
  presence: string
  createdAt: string
  updatedAt: string
  modifiedAt: string
  lastSeenAt?: string
  lastActivityAt?: string
  lastCustomerActivityAt?: string
  lastMessageIn?: CrmLastMessageIn
  lastConversation?: CrmLastConversation
  conversationCounts: CrmConversationCounts
  preview?: CrmPreview
  tags: unknown[]
  sentiment?: CrmSentiment
  progressiveStatus: string
  verified: boolean
  rev: number
  /** The organization's custom attributes, by their suffixed names (`tierStr`, `ordersNum`, …). */
  custom?: Record<string, CrmCustomValue>
}

export interface CrmResourceLink {
  data: { id: string; type: string }
  links: { self: string }
}

export interface CrmCustomerRelationships {
  org: CrmResourceLink
  messages: { links: { self: string } }
  modifiedBy?: CrmResourceLink
}

/** A customer as "Get Customer by ID" returns it (the answer's `data`). */
export interface CrmCustomer {
  type: string
  id: string
  attributes: CrmCustomerAttributes
  relationships: CrmCustomerRelationships
  links: { self: string }
}

// ---------------------------------------------------------------- wire schemas

const email = z.object({ email: z.string(), id: z.string().nullable(), type: z.string(), verified: z.boolean() })
const sentiment = z.object({ confidence: z.number(), polarity: z.number() })
const list = z.array(z.unknown())
const resourceLink = z.object({ data: z.object({ id: z.string(), type: z.string() }), links: z.object({ self: z.string() }) })

const SUFFIX_TYPES: ReadonlyArray<readonly [string, 'number' | 'boolean' | 'string']> = [
  ['Num', 'number'],
  ['Bool', 'boolean'],
  ['At', 'string'],
  ['Str', 'string'],
  ['Txt', 'string'],
  ['Url', 'string'],
]

const customValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))])

/** Custom attributes: a value of a known suffix must be of its type (or null, or a list of them). */
const custom = z.record(z.string(), customValue).superRefine((values, ctx) => {
  for (const [name, value] of Object.entries(values)) {
    const expected = SUFFIX_TYPES.find(([suffix]) => name.endsWith(suffix))?.[1]
    if (expected === undefined || value === null) continue
    const items = Array.isArray(value) ? value : [value]
    if (items.some((item) => typeof item !== expected)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `a custom attribute ending in its type must be a ${expected}` })
    }
  }
})

const attributes = z.object({
  name: z.string().optional(),
  displayName: z.string(),
  displayColor: z.string(),
  displayIcon: z.string(),
  externalId: z.string().optional(),
  externalIds: z.array(z.object({ externalId: z.string(), id: z.string().nullable(), verified: z.boolean() })),
  sharedExternalIds: list,
  signedUpAt: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  username: z.string().nullable(),
  emails: z.array(email),
  sharedEmails: z.array(email),
  phones: list,
  sharedPhones: list,
  socials: list,
  sharedSocials: list,
  urls: list,
  locations: list,
  activeUsers: list,
  watchers: list,
  recentLocation: z.object({ updatedAt: z.string() }).optional(),
  locale: z.string().nullable(),
  timeZone: z.string().nullable(),
  birthdayAt: z.string().nullable(),
  gender: z.string().nullable(),
  presence: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  modifiedAt: z.string(),
  lastSeenAt: z.string().optional(),
  lastActivityAt: z.string().optional(),
  lastCustomerActivityAt: z.string().optional(),
  lastMessageIn: z.object({ sentAt: z.string(), sentiment: z.string().nullable() }).optional(),
  lastConversation: z.object({ id: z.string(), sentiment, tags: list }).optional(),
  conversationCounts: z.object({ all: z.number(), done: z.number(), open: z.number(), snoozed: z.number() }),
  preview: z.object({ previewAt: z.string(), subject: z.string(), text: z.string(), type: z.string() }).optional(),
  tags: list,
  sentiment: sentiment.optional(),
  progressiveStatus: z.string(),
  verified: z.boolean(),
  rev: z.number(),
  custom: custom.optional(),
})

const customer = z.object({
  type: z.string(),
  id: z.string(),
  attributes,
  relationships: z.object({ org: resourceLink, messages: z.object({ links: z.object({ self: z.string() }) }), modifiedBy: resourceLink.optional() }),
  links: z.object({ self: z.string() }),
})

/** The schema of a "Get Customer by ID" answer; its output is checked against `CrmCustomer` at compile time. */
export const customerResponseSchema: z.ZodType<{ data: CrmCustomer }> = z.object({ data: customer })

export type CustomerParse = { ok: true; customer: CrmCustomer } | { ok: false; issue: string }

/** Parses a "Get Customer by ID" body; the first misfit is named by its path. */
export const parseCustomerResponse = (body: unknown): CustomerParse => {
  const parsed = customerResponseSchema.safeParse(body)
  if (parsed.success) return { ok: true, customer: parsed.data.data }
  const issue = parsed.error.issues[0]
  const where = issue ? issue.path.map(String).join('.') : ''
  return { ok: false, issue: issue ? `${where || '(body)'}: ${issue.message}` : 'not a customer' }
}
