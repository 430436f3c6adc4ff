/**
 * Payload schemas of every RTM action the server implements (snake_case wire names).
 * Unknown fields are accepted and dropped; known fields of the wrong type fail with
 * `validation`. One place, so each handler receives a typed, checked payload.
 */
import { LIMITS } from '@rapport/protocol'
import { z } from 'zod'

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

const id = z.string().min(1)
const properties = z.record(z.string(), z.record(z.string(), z.unknown()))
const visibility = z.enum(['all', 'agents'])
const timestamp = z.iso.datetime({ offset: true })
const groupIds = z.array(z.number().int().nonnegative())
const sortOrder = z.enum(['asc', 'desc'])
const pushes = z.record(z.string(), z.array(z.string()))
const sessionFields = z.array(z.record(z.string(), z.string())).max(LIMITS.sessionFieldsMax)
const address = z.object({
  address: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
  state: z.string().optional(),
  postal_code: z.string().optional(),
})

const eventCommon = {
  custom_id: z.string().optional(),
  properties: properties.optional(),
  recipients: visibility.optional(),
  visibility: visibility.optional(),
}

const formField = z.looseObject({ type: z.string(), id: z.string().optional(), label: z.string().optional() })

const postback = z.object({
  id: id,
  thread_id: id,
  event_id: id,
  type: z.string().optional(),
  value: z.string().optional(),
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
  z.object({ ...eventCommon, type: z.literal('file'), url: z.url(), alternative_text: z.string().optional() }),
  z.object({
    ...eventCommon,
    type: z.literal('filled_form'),
    form_id: id,
    form_type: z.string().optional(),
    fields: z.array(formField),
  }),
  z.object({
    ...eventCommon,
    type: z.literal('system_message'),
    text: z.string(),
    system_message_type: z.string().optional(),
    text_vars: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ ...eventCommon, type: z.literal('custom'), content: z.unknown().optional() }),
  z.object({
    ...eventCommon,
    type: z.literal('rich_message'),
    template_id: z.string(),
    elements: z.array(z.looseObject({})).max(LIMITS.richMessageElements),
  }),
])
export type EventPayload = z.output<typeof eventSchema>

const threadInput = z.object({ events: z.array(eventSchema).optional(), properties: properties.optional() })

const listThreadsBase = {
  chat_id: id,
  sort_order: sortOrder.optional(),
  limit: z.number().int().min(1).max(LIMITS.listThreadsMaxLimit).optional(),
  page_id: z.string().min(1).optional(),
  min_events_count: z.number().int().min(1).max(LIMITS.minEventsCountMax).optional(),
}

const propertyNames = z.record(z.string(), z.array(z.string().min(1)))
const nonEmpty = (value: Record<string, unknown>) => Object.keys(value).length > 0
const sessionFieldsAny = z.array(z.record(z.string(), z.string()))
const postbackInput = z.object({
  id: z.string().min(1),
  toggled: z.boolean(),
  button_type: z.string().optional(),
  button_value: z.string().optional(),
  ecommerce: z
    .object({ product_id: z.string().min(1), option_id: z.string().optional(), quantity: z.number().int().nonnegative().optional() })
    .optional(),
})
const fbmessenger = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  profile_pic: z.string().optional(),
  gender: z.string().optional(),
  locale: z.string().optional(),
  is_verified_user: z.boolean().optional(),
})
const omnichannel = z.object({ fbmessenger: fbmessenger.optional(), twilio: z.object({ phone_number: z.string().min(1) }).optional() })

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
    token: z.string().min(1),
    customer: z
      .object({
        name: z.string().optional(),
        email: z.string().optional(),
        avatar: z.string().optional(),
        session_fields: sessionFields.optional(),
        address: address.optional(),
      })
      .optional(),
    customer_page: z.object({ url: z.string(), title: z.string().optional() }).optional(),
    customer_side_storage: z.record(z.string(), z.string()).optional(),
    is_mobile: z.boolean().optional(),
    group_id: z.number().int().nonnegative().optional(),
    referrer: z.string().optional(),
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
    welcome_message_id: z.string().optional(),
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
    welcome_message_id: z.string().optional(),
  }),
  send_event: z.object({ chat_id: id, event: eventSchema, attach_to_last_thread: z.boolean().optional() }),
  get_chat: z.object({ chat_id: id, thread_id: id.optional() }),
  list_chats: z
    .object({
      limit: z.number().int().min(1).max(LIMITS.listChatsMaxLimit).optional(),
      sort_order: sortOrder.optional(),
      page_id: z.string().min(1).optional(),
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
  send_sneak_peek: z.object({ chat_id: id, sneak_peek_text: z.string() }),
  ...propertySchemas,
  update_customer: z
    .object({
      name: z.string().optional(),
      email: z.string().optional(),
      avatar: z.string().optional(),
      session_fields: sessionFieldsAny.optional(),
      omnichannel: omnichannel.optional(),
      address: address.optional(),
    })
    .refine((value) => Object.values(value).some((v) => v !== undefined), 'At least one customer field is required'),
  update_customer_page: z.object({ url: z.string().min(1), title: z.string().optional() }),
  set_customer_session_fields: z.object({ session_fields: sessionFieldsAny }),
  list_group_statuses: z
    .object({ all: z.boolean().optional(), group_ids: groupIds.optional() })
    .refine((value) => value.all === true || value.group_ids !== undefined, 'One of `all: true` or `group_ids` is required'),
  get_form: z.object({ group_id: z.number().int().nonnegative(), type: z.enum(['prechat', 'postchat', 'ticket']) }),
  get_predicted_agent: z.object({ group_id: z.number().int().nonnegative().optional() }),
  request_welcome_message: z.object({ id: z.string().min(1).optional(), group_id: z.number().int().nonnegative().optional() }),
  send_greeting_button_clicked: z.object({ greeting_unique_id: id, button_id: id }),
  get_url_info: z.object({ url: z.string().min(1).max(2048) }),
  accept_greeting: z.object({ greeting_id: z.number().int(), unique_id: id }),
  cancel_greeting: z.object({ unique_id: id }),
}

// ---------------------------------------------------------------- agent

export const routingStatusSchema = z.enum(['accepting_chats', 'not_accepting_chats', 'offline'])

export const agentSchemas = {
  login: z.object({
    token: z.string().min(1),
    timezone: z.string().optional(),
    reconnect: z.boolean().optional(),
    away: z.boolean().optional(),
    customer_monitoring_level: z.string().optional(),
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
    limit: z.number().int().min(1).max(100).optional(),
    page_id: z.string().min(1).optional(),
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
    target: z.object({ type: z.enum(['group', 'agent']), ids: z.array(z.union([z.number().int().nonnegative(), z.string().min(1)])).min(1) }).optional(),
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
    event: z.object({ type: z.literal('message'), text: z.string(), visibility: visibility.optional(), custom_id: z.string().optional() }),
  }),
  send_thinking_indicator: z.object({
    chat_id: id,
    title: z.string().optional(),
    description: z.string().optional(),
    visibility: visibility.optional(),
    custom_id: z.string().optional(),
  }),
  send_rich_message_postback: z.object({ chat_id: id, thread_id: id, event_id: id, postback: postbackInput }),
  delete_event: z.object({ chat_id: id, thread_id: id, event_id: id }),
  ...propertySchemas,
  multicast: z.object({
    recipients: z.object({
      agents: z.object({ all: z.boolean().optional(), ids: z.array(id).optional(), groups: groupIds.optional() }).optional(),
      customers: z.array(id).optional(),
    }),
    content: z.unknown(),
    type: z.string().optional(),
  }),
  set_away_status: z.object({ away: z.boolean() }),
}

/** One line naming each failing field, e.g. "`event.text`: Invalid input: expected string". */
export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map((issue) => (issue.path.length > 0 ? `\`${issue.path.map(String).join('.')}\`: ${issue.message}` : issue.message))
    .join('; ')
