/**
 * The rules of the wire objects pushes carry (events, users, threads, chats, properties)
 * and of the pushes both sides receive in the same shape: what the parsers read, checked
 * before they read it (customer-rtm §7, §9; agent-rtm §5).
 */
import type { SharedPush } from './events'
import { type FieldRule, type Shape, listOf, optional, orNull, recordOf, variant } from './shape'

/** `{namespace: {name: value}}`. */
export const propertiesRule = recordOf('object')
/** `{namespace: [names]}` (the `*_properties_deleted` pushes). */
export const propertyNamesRule = recordOf(listOf('string'))
export const accessRule = optional({ group_ids: optional(listOf('number')) })
export const queueRule: Shape = { position: 'number', wait_time: 'number' }

/** The fields each event type the SDK parses cannot do without; other types are checked by the common fields only. */
const EVENT_CASES: Readonly<Record<string, Shape>> = {
  message: { text: 'string' },
  file: { url: 'string' },
  form: { form_id: 'string', fields: listOf('object') },
  filled_form: { form_id: 'string', fields: listOf('object') },
  rich_message: { template_id: 'string', elements: listOf('object') },
  system_message: { text: 'string' },
}

/** The fields every event has, after `id`'s rule. */
/* @__NO_SIDE_EFFECTS__ */ function eventShape(id: FieldRule): Shape {
  return {
    id,
    type: 'string',
    created_at: 'string',
    custom_id: optional('string'),
    author_id: optional('string'),
    properties: optional(propertiesRule),
  }
}

/** A stored event: it has an `id`. */
export const eventRule = variant(eventShape('id'), 'type', EVENT_CASES)
/** An event that is not stored (a preview, a welcome message): no `id` needed. */
export const idlessEventRule = variant(eventShape(optional('string')), 'type', EVENT_CASES)

export const userRule = variant(
  {
    id: 'id',
    type: ['agent', 'customer'],
    present: optional('boolean'),
    events_seen_up_to: optional('string'),
    name: optional('string'),
    avatar: optional('string'),
  },
  'type',
  { customer: { email: optional('string'), session_fields: optional(listOf('object')) }, agent: { name: 'string', job_title: optional('string') } },
)

export const threadRule: Shape = {
  id: 'id',
  active: 'boolean',
  created_at: 'string',
  // Documented as always there, but `parseThread` reads a missing list as `[]`.
  user_ids: optional(listOf('string')),
  events: listOf(eventRule),
  properties: optional(propertiesRule),
  access: accessRule,
  queue: optional(orNull(queueRule)),
  previous_thread_id: optional('string'),
  next_thread_id: optional('string'),
}

export const chatRule: Shape = {
  id: 'id',
  users: listOf(userRule),
  thread: optional(orNull(threadRule)),
  access: accessRule,
  properties: optional(propertiesRule),
}

// Functions rather than spreads of shared objects: a module-level spread is a side effect
// to a bundler, a call to a side-effect-free function is not.
/** `fields` of a push about a chat. */
/* @__NO_SIDE_EFFECTS__ */ export function inChat(fields: Shape = {}): Shape {
  return { chat_id: 'id', ...fields }
}
/** `fields` of a push about a thread. */
/* @__NO_SIDE_EFFECTS__ */ export function inThread(fields: Shape = {}): Shape {
  return { chat_id: 'id', thread_id: 'id', ...fields }
}
/** `fields` of a push about an event. */
/* @__NO_SIDE_EFFECTS__ */ export function onEvent(fields: Shape = {}): Shape {
  return { chat_id: 'id', thread_id: 'id', event_id: 'id', ...fields }
}

/** The rules of the pushes both sides parse with `sharedPushPayloads`. */
export const SHARED_PUSH_SHAPES: { readonly [K in SharedPush]: FieldRule } = {
  chat_transferred: inChat({
    reason: 'string',
    thread_id: optional('id'),
    requester_id: optional('string'),
    transferred_to: optional(orNull({ agent_ids: optional(listOf('string')), group_ids: optional(listOf('number')) })),
    queue: optional(orNull(queueRule)),
  }),
  chat_properties_updated: inChat({ properties: propertiesRule }),
  chat_properties_deleted: inChat({ properties: propertyNamesRule }),
  thread_properties_updated: inThread({ properties: propertiesRule }),
  thread_properties_deleted: inThread({ properties: propertyNamesRule }),
  event_properties_updated: onEvent({ properties: propertiesRule }),
  event_properties_deleted: onEvent({ properties: propertyNamesRule }),
  event_updated: inThread({ event: eventRule }),
  event_deleted: onEvent(),
  events_marked_as_seen: inChat({ user_id: 'id', seen_up_to: 'string' }),
  incoming_rich_message_postback: onEvent({ user_id: 'id', postback: { id: 'id', toggled: 'boolean' } }),
  incoming_thinking_indicator: inThread({ author_id: 'id', sent_at: 'string' }),
  customer_updated: {
    id: 'id',
    name: optional('string'),
    email: optional('string'),
    avatar: optional('string'),
    session_fields: optional(listOf('object')),
  },
}
