/**
 * Payload schemas of every RTM action the server implements (snake_case wire names).
 * Unknown fields are accepted and dropped; known fields of the wrong type fail with
 * `validation`. One place, so each handler receives a typed, checked payload.
 *
 * Every free-text field has a maximum length, one of the server's `fields` figures
 * (`../limits.ts`, read while a payload is parsed); `message.text` keeps the platform's
 * 16 KB. URLs an event carries to the other side (a `file` event's `url`, rich-message
 * images, `url`/`webview` buttons, product images) must be `http:`/`https:` URLs, so no
 * `javascript:`, `data:` or `vbscript:` link ever reaches an agent or a customer.
 */
import { AGENT_EVENT_PUSHES, LIMITS, type AgentEventPush } from '@rapport/protocol'
import { z } from 'zod'
import { fieldLimit, type FieldLimits } from '../limits'

type Field = keyof FieldLimits

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/** Characters of the JSON text of a value (what storing it costs). */
const jsonLength = (value: unknown): number => (value === undefined ? 0 : (JSON.stringify(value)?.length ?? 0))

/** A string of at most `fields[field]` characters. */
const str = (field: Field) =>
  z.string().check((ctx) => {
    const max = fieldLimit(field)
    if (ctx.value.length > max) ctx.issues.push({ code: 'custom', message: `Too long: at most ${max} characters`, input: ctx.value })
  })

/** A string of at most `fields[field]` bytes of UTF-8. */
const utf8 = (field: Field) =>
  z.string().check((ctx) => {
    const max = fieldLimit(field)
    // a UTF-16 unit is at most 3 bytes of UTF-8: count bytes only when it can matter
    if (ctx.value.length > max || (ctx.value.length * 3 > max && utf8Bytes(ctx.value) > max)) {
      ctx.issues.push({ code: 'custom', message: `Too long: at most ${max} bytes of UTF-8`, input: ctx.value })
    }
  })

/** Any JSON value whose text is at most `fields[field]` characters. */
const jsonWithin = <T extends z.ZodType>(schema: T, field: Field): T =>
  schema.check((ctx) => {
    const max = fieldLimit(field)
    if (jsonLength(ctx.value) > max) ctx.issues.push({ code: 'custom', message: `Too large: at most ${max} characters of JSON`, input: ctx.value })
  })

const HTTP_URL = /^https?:\/\//i

/** An absolute `http:`/`https:` URL with a host (the only links events may carry). */
export const isHttpUrl = (value: string): boolean => {
  if (!HTTP_URL.test(value)) return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
  } catch {
    return false
  }
}

const httpUrl = str('url').refine(isHttpUrl, 'Must be an http: or https: URL')
/** A customer's avatar: an http(s) URL, or empty (no avatar). */
const avatarUrl = str('url').refine((value) => value === '' || isHttpUrl(value), 'Must be an http: or https: URL')

/** Longest `page_id` the server hands out is well under this. */
const PAGE_ID_MAX = 1024
/** Fields of one filled form. */
const FORM_FIELDS_MAX = 100
/** Options or add-ons of one rich-message product. */
const PRODUCT_OPTIONS_MAX = 100
/** Agent `list_chats` maximum page size. */
export const AGENT_LIST_CHATS_MAX_LIMIT = 100

const id = str('id').min(1)
const key = str('id')
const properties = z.record(key, z.record(key, jsonWithin(z.unknown(), 'propertyValue')))
const visibility = z.enum(['all', 'agents'])
const timestamp = z.iso.datetime({ offset: true })
const groupIds = z.array(z.number().int().nonnegative())
const sortOrder = z.enum(['asc', 'desc'])
const pageId = z.string().min(1).max(PAGE_ID_MAX)
const pushes = z.record(key, z.array(key))
const sessionFieldsAny = z.array(z.record(key, str('sessionFieldValue')))
const sessionFields = sessionFieldsAny.max(LIMITS.sessionFieldsMax)
const address = z.object({
  address: str('shortText').optional(),
  city: str('shortText').optional(),
  country: str('shortText').optional(),
  state: str('shortText').optional(),
  postal_code: str('shortText').optional(),
})

const eventCommon = {
  custom_id: key.optional(),
  properties: properties.optional(),
  recipients: visibility.optional(),
  visibility: visibility.optional(),
}

/** A filled-form field: answers bounded by `formAnswer`, the whole field (extra keys too) by `formField`. */
const formField = jsonWithin(
  z.looseObject({
    type: key,
    id: key.optional(),
    label: str('title').optional(),
    answer: jsonWithin(z.unknown(), 'formAnswer').optional(),
    answers: jsonWithin(z.array(z.unknown()), 'formAnswer').optional(),
  }),
  'formField',
)

const postback = z.object({
  id: id,
  thread_id: id,
  event_id: id,
  type: key.optional(),
  value: str('url').optional(),
})

/**
 * A rich-message button. Every field is optional (the server is lenient where the wire
 * types require `text`, `postback_id` and `user_ids`); unknown keys are dropped. `url` and
 * `webview` buttons open their value: it must be an http(s) URL.
 */
const richButton = z
  .object({
    text: str('title').optional(),
    type: z.enum(['webview', 'message', 'url', 'phone', 'cancel']).optional(),
    value: str('url').optional(),
    webview_height: z.enum(['compact', 'full', 'tall']).optional(),
    postback_id: key.optional(),
    user_ids: z.array(key).optional(),
    target: z.enum(['new', 'current']).optional(),
    role: z.enum(['default', 'primary', 'danger']).optional(),
  })
  .refine((button) => (button.type !== 'url' && button.type !== 'webview') || button.value === undefined || isHttpUrl(button.value), {
    message: 'A `url` or `webview` button needs an http: or https: URL',
    path: ['value'],
  })

/** A rich-message element: known fields checked, unknown keys dropped. */
const richElement = z.object({
  title: str('title').optional(),
  subtitle: utf8('text').optional(),
  image: z
    .object({
      url: httpUrl,
      name: str('title').optional(),
      content_type: key.optional(),
      size: z.number().optional(),
      width: z.number().optional(),
      height: z.number().optional(),
      alternative_text: str('title').optional(),
    })
    .optional(),
  buttons: z.array(richButton).max(LIMITS.richMessageButtons).optional(),
  ecommerce: z
    .object({
      view_type: z.enum(['tags', 'swatch', 'images', 'select']).optional(),
      product_id: key.optional(),
      label: str('title').optional(),
      options: z
        .array(
          z.object({
            option_id: key,
            label: str('title').optional(),
            price: z.number().optional(),
            regular_price: z.number().optional(),
            currency: str('shortText').optional(),
            color: str('shortText').optional(),
            image_url: httpUrl.optional(),
            image_thumbnail_url: httpUrl.optional(),
            available: z.boolean().optional(),
            selected: z.boolean().optional(),
          }),
        )
        .max(PRODUCT_OPTIONS_MAX)
        .optional(),
      addons: z
        .array(
          z.object({
            addon_type: key,
            range_from: z.number().optional(),
            range_to: z.number().optional(),
            currency: str('shortText').optional(),
          }),
        )
        .max(PRODUCT_OPTIONS_MAX)
        .optional(),
    })
    .optional(),
})

/** Sendable events (customer-rtm §9): `form` and `system` cannot be sent. */
export const eventSchema = z.discriminatedUnion('type', [
  z.object({
    ...eventCommon,
    type: z.literal('message'),
    text: z.string().refine((text) => utf8Bytes(text) <= LIMITS.messageTextBytes, {
      message: `text exceeds ${LIMITS.messageTextBytes} bytes of UTF-8`,
    }),
    postback: postback.optional(),
  }),
  z.object({ ...eventCommon, type: z.literal('file'), url: httpUrl, alternative_text: str('title').optional() }),
  z.object({
    ...eventCommon,
    type: z.literal('filled_form'),
    form_id: id,
    form_type: key.optional(),
    fields: z.array(formField).max(FORM_FIELDS_MAX),
  }),
  z.object({
    ...eventCommon,
    type: z.literal('system_message'),
    text: utf8('text'),
    system_message_type: key.optional(),
    text_vars: z.record(key, str('title')).optional(),
  }),
  z.object({ ...eventCommon, type: z.literal('custom'), content: jsonWithin(z.unknown(), 'customContent').optional() }),
  z.object({
    ...eventCommon,
    type: z.literal('rich_message'),
    template_id: key,
    elements: z.array(richElement).max(LIMITS.richMessageElements),
  }),
])
export type EventPayload = z.output<typeof eventSchema>

const threadInput = z.object({ events: z.array(eventSchema).optional(), properties: properties.optional() })

const listThreadsBase = {
  chat_id: id,
  sort_order: sortOrder.optional(),
  limit: z.number().int().min(1).max(LIMITS.listThreadsMaxLimit).optional(),
  page_id: pageId.optional(),
  min_events_count: z.number().int().min(1).max(LIMITS.minEventsCountMax).optional(),
}

const propertyNames = z.record(key, z.array(str('id').min(1)))
const nonEmpty = (value: Record<string, unknown>) => Object.keys(value).length > 0
const postbackInput = z.object({
  id: id,
  toggled: z.boolean(),
  button_type: key.optional(),
  button_value: str('url').optional(),
  ecommerce: z
    .object({ product_id: id, option_id: key.optional(), quantity: z.number().int().nonnegative().optional() })
    .optional(),
})
const fbmessenger = z.looseObject({
  id: id,
  name: str('name').optional(),
  first_name: str('name').optional(),
  last_name: str('name').optional(),
  profile_pic: str('url').optional(),
  gender: str('shortText').optional(),
  locale: str('shortText').optional(),
  is_verified_user: z.boolean().optional(),
})
const omnichannel = z.object({ fbmessenger: fbmessenger.optional(), twilio: z.object({ phone_number: str('shortText').min(1) }).optional() })

/** Property actions shared by both sides. */
const propertySchemas = {
  update_chat_properties: z.object({ id, properties: properties.refine(nonEmpty, '`properties` must not be empty') }),
  delete_chat_properties: z.object({ id, properties: propertyNames.refine(nonEmpty, '`properties` must not be empty') }),
  update_thread_properties: z.object({ chat_id: id, thread_id: id, properties: properties.refine(nonEmpty, '`properties` must not be empty') }),
  delete_thread_properties: z.object({ chat_id: id, thread_id: id, properties: propertyNames.refine(nonEmpty, '`properties` must not be empty') }),
  update_event_properties: z.object({ chat_id: id, thread_id: id, event_id: id, properties: properties.refine(nonEmpty, '`properties` must not be empty') }),
  delete_event_properties: z.object({ chat_id: id, thread_id: id, event_id: id, properties: propertyNames.refine(nonEmpty, '`properties` must not be empty') }),
}

const notBoth = (a: string, b: string) => (value: Record<string, unknown>) => !(value[a] !== undefined && value[b] !== undefined)

// ---------------------------------------------------------------- customer

export const customerSchemas = {
  login: z.object({
    token: str('token').min(1),
    customer: z
      .object({
        name: str('name').optional(),
        email: str('email').optional(),
        avatar: avatarUrl.optional(),
        session_fields: sessionFields.optional(),
        address: address.optional(),
      })
      .optional(),
    customer_page: z.object({ url: str('url'), title: str('title').optional() }).optional(),
    customer_side_storage: z.record(key, str('storageValue')).optional(),
    is_mobile: z.boolean().optional(),
    group_id: z.number().int().nonnegative().optional(),
    referrer: str('url').optional(),
    pushes: pushes.optional(),
  }),
  start_chat: z.object({
    chat: z
      .object({
        properties: properties.optional(),
        access: z.object({ group_ids: groupIds.optional() }).optional(),
        thread: threadInput.optional(),
      })
      .optional(),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
    welcome_message_id: key.optional(),
  }),
  resume_chat: z.object({
    chat: z.object({
      id,
      properties: properties.optional(),
      access: z.object({ group_ids: groupIds.optional() }).optional(),
      thread: threadInput.optional(),
    }),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
    welcome_message_id: key.optional(),
  }),
  send_event: z.object({ chat_id: id, event: eventSchema, attach_to_last_thread: z.boolean().optional() }),
  get_chat: z.object({ chat_id: id, thread_id: id.optional() }),
  list_chats: z
    .object({
      limit: z.number().int().min(1).max(LIMITS.listChatsMaxLimit).optional(),
      sort_order: sortOrder.optional(),
      page_id: pageId.optional(),
    })
    .refine(notBoth('page_id', 'limit'), '`page_id` cannot be combined with `limit`')
    .refine(notBoth('page_id', 'sort_order'), '`page_id` cannot be combined with `sort_order`'),
  list_threads: z
    .object(listThreadsBase)
    .refine(notBoth('limit', 'min_events_count'), '`limit` and `min_events_count` are mutually exclusive'),
  get_customer: z.object({}),
  deactivate_chat: z.object({ id }),
  mark_events_as_seen: z.object({ chat_id: id, seen_up_to: timestamp }),
  delete_event: z.object({ chat_id: id, thread_id: id, event_id: id }),
  send_rich_message_postback: z.object({ chat_id: id, thread_id: id, event_id: id, postback: postbackInput }),
  send_sneak_peek: z.object({ chat_id: id, sneak_peek_text: utf8('text') }),
  ...propertySchemas,
  update_customer: z
    .object({
      name: str('name').optional(),
      email: str('email').optional(),
      avatar: avatarUrl.optional(),
      session_fields: sessionFieldsAny.optional(),
      omnichannel: omnichannel.optional(),
      address: address.optional(),
    })
    .refine((value) => Object.values(value).some((v) => v !== undefined), 'At least one customer field is required'),
  update_customer_page: z.object({ url: str('url').min(1), title: str('title').optional() }),
  set_customer_session_fields: z.object({ session_fields: sessionFieldsAny }),
  list_group_statuses: z
    .object({ all: z.boolean().optional(), group_ids: groupIds.optional() })
    .refine((value) => value.all === true || value.group_ids !== undefined, 'One of `all: true` or `group_ids` is required'),
  get_form: z.object({ group_id: z.number().int().nonnegative(), type: z.enum(['prechat', 'postchat', 'ticket']) }),
  get_predicted_agent: z.object({ group_id: z.number().int().nonnegative().optional() }),
  request_welcome_message: z.object({ id: id.optional(), group_id: z.number().int().nonnegative().optional() }),
  send_greeting_button_clicked: z.object({ greeting_unique_id: id, button_id: id }),
  get_url_info: z.object({ url: str('url').min(1) }),
  accept_greeting: z.object({ greeting_id: z.number().int(), unique_id: id }),
  cancel_greeting: z.object({ unique_id: id }),
}

// ---------------------------------------------------------------- agent

export const routingStatusSchema = z.enum(['accepting_chats', 'not_accepting_chats', 'offline'])

export const agentSchemas = {
  login: z.object({
    token: str('token').min(1),
    timezone: str('shortText').optional(),
    reconnect: z.boolean().optional(),
    away: z.boolean().optional(),
    customer_monitoring_level: key.optional(),
    pushes: pushes.optional(),
  }),
  set_routing_status: z.object({ status: routingStatusSchema, agent_id: id.optional() }),
  list_routing_statuses: z.object({ filters: z.object({ group_ids: groupIds.optional() }).optional() }),
  list_chats: z.object({
    filters: z
      .object({
        active: z.boolean().nullable().optional(),
        include_chats_without_threads: z.boolean().optional(),
        group_ids: groupIds.max(200).optional(),
      })
      .optional(),
    sort_order: sortOrder.optional(),
    limit: z.number().int().min(1).max(AGENT_LIST_CHATS_MAX_LIMIT).optional(),
    page_id: pageId.optional(),
  }),
  get_chat: z.object({ chat_id: id, thread_id: id.optional() }),
  list_threads: z
    .object({ ...listThreadsBase, filters: z.object({ from: timestamp.optional(), to: timestamp.optional() }).optional() })
    .refine(notBoth('limit', 'min_events_count'), '`limit` and `min_events_count` are mutually exclusive'),
  send_event: z.object({ chat_id: id, event: eventSchema, attach_to_last_thread: z.boolean().optional() }),
  send_typing_indicator: z.object({ chat_id: id, is_typing: z.boolean(), visibility: visibility.optional() }),
  deactivate_chat: z.object({ id, ignore_requester_presence: z.boolean().optional() }),
  mark_events_as_seen: z.object({ chat_id: id, seen_up_to: timestamp }),
  get_customer: z.object({ id }),
  transfer_chat: z.object({
    id,
    target: z.object({ type: z.enum(['group', 'agent']), ids: z.array(z.union([z.number().int().nonnegative(), id])).min(1) }).optional(),
    ignore_agents_availability: z.boolean().optional(),
    ignore_requester_presence: z.boolean().optional(),
  }),
  add_user_to_chat: z.object({
    chat_id: id,
    user_id: id,
    user_type: z.enum(['agent', 'customer']),
    visibility: visibility.optional(),
    ignore_requester_presence: z.boolean().optional(),
  }),
  remove_user_from_chat: z.object({
    chat_id: id,
    user_id: id,
    user_type: z.enum(['agent', 'customer']),
    ignore_requester_presence: z.boolean().optional(),
  }),
  send_event_preview: z.object({
    chat_id: id,
    event: z.object({ type: z.literal('message'), text: utf8('text'), visibility: visibility.optional(), custom_id: key.optional() }),
  }),
  send_thinking_indicator: z.object({
    chat_id: id,
    title: str('title').optional(),
    description: utf8('text').optional(),
    visibility: visibility.optional(),
    custom_id: key.optional(),
  }),
  send_rich_message_postback: z.object({ chat_id: id, thread_id: id, event_id: id, postback: postbackInput }),
  delete_event: z.object({ chat_id: id, thread_id: id, event_id: id }),
  ...propertySchemas,
  multicast: z.object({
    recipients: z.object({
      agents: z.object({ all: z.boolean().optional(), ids: z.array(id).optional(), groups: groupIds.optional() }).optional(),
      customers: z.array(id).optional(),
    }),
    content: jsonWithin(z.unknown(), 'customContent'),
    type: key.optional(),
  }),
  set_away_status: z.object({ away: z.boolean() }),
}

// ---------------------------------------------------------------- configuration API (bots-and-crm §1)

/** The pushes a webhook may be registered for (every agent push but `agent_disconnected`). */
const webhookAction = z.enum(AGENT_EVENT_PUSHES as [AgentEventPush, ...AgentEventPush[]])

export const configurationSchemas = {
  create_bot: z.object({
    name: str('name').min(1),
    avatar: avatarUrl.optional(),
    max_chats_count: z.number().int().min(1).max(500).optional(),
    groups: z.array(z.object({ id: z.number().int().nonnegative(), priority: z.enum(['first', 'normal', 'last', 'supervisor']) })).max(200).optional(),
    owner_client_id: id.optional(),
    job_title: str('shortText').optional(),
  }),
  issue_bot_token: z.object({ bot_id: id, client_id: id, bot_secret: str('token').min(1), organization_id: id }),
  register_webhook: z.object({
    action: webhookAction,
    secret_key: str('token').min(1),
    url: str('url').min(1),
    type: z.enum(['bot', 'license']),
    owner_client_id: id,
    description: str('shortText').optional(),
    filters: z
      .object({
        author_type: z.enum(['customer', 'agent']).optional(),
        only_my_chats: z.boolean().optional(),
        chat_presence: z
          .object({
            user_ids: z.object({ values: z.array(id).max(100).optional(), exclude_values: z.array(id).max(100).optional() }).optional(),
            my_bots: z.boolean().optional(),
          })
          .optional(),
        source_type: z.array(key).max(20).optional(),
      })
      .optional(),
    additional_data: z.array(z.enum(['chat_properties', 'chat_presence_user_ids'])).max(2).optional(),
  }),
  list_webhooks: z.object({ owner_client_id: id }),
  unregister_webhook: z.object({ id, owner_client_id: id }),
}

/** One line naming each failing field, e.g. "`event.text`: Invalid input: expected string". */
export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map((issue) => (issue.path.length > 0 ? `\`${issue.path.map(String).join('.')}\`: ${issue.message}` : issue.message))
    .join('; ')
