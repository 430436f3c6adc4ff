/**
 * The SDK's events: names and payload types (seed 003 "Events", sdk-mapping §9), and
 * `parsePushChecked` / `parsePush`, which check one wire push against its rule and turn it
 * into the SDK events it stands for. The payload parsers and rules of pushes both sides
 * share (`sharedPushPayloads`, `SHARED_PUSH_SHAPES`) serve `parseAgentPushChecked` too.
 */
import { CUSTOMER_PUSHES, type CustomerPush } from './actions'
import {
  parseChat,
  parseChatUser,
  parseEvent,
  parseGreeting,
  parseProperties,
  parsePropertyNames,
  parseQueue,
  parseSessionFields,
} from './parse'
import {
  SHARED_PUSH_SHAPES,
  chatRule,
  eventRule,
  idlessEventRule,
  inChat,
  inThread,
  queueRule,
  userRule,
} from './pushShapes'
import { type FieldRule, type PushCheck, checkedParse, listOf, optional, orNull } from './shape'
import type * as S from './sdk'
import type * as W from './wire'

export type { PushCheck } from './shape'

export interface UserAddedToChatPayload {
  chatId: string
  user: S.ChatUser
  present: boolean
}

export interface ChatTransferredPayload {
  chatId: string
  threadId?: string
  transferredTo: { agentIds?: string[]; groupIds?: number[] }
  queue: S.Queue | null
  reason: string
  requesterId?: string
}

export interface CustomerUpdatedPayload {
  id: string
  name?: string
  email?: string
  avatar?: string
  sessionFields?: S.SessionFields
  /** The documentation's name for `sessionFields`. */
  fields?: S.SessionFields
}

/** `user_data`: a chat user without `present`; customers carry `fields` (the documentation's name) too. */
export type UserData = (Omit<S.CustomerUser, 'present'> & { fields: S.SessionFields }) | Omit<S.AgentUser, 'present'>

export interface DisconnectedPayload {
  reason: string
  data?: Record<string, unknown>
}

/** Every SDK event with its payload type. */
export interface CustomerEventMap {
  availability_updated: { availability: S.Availability }
  chat_deactivated: { chatId: string }
  chat_properties_deleted: { chatId: string; properties: S.PropertyNames }
  chat_properties_updated: { chatId: string; properties: S.Properties }
  chat_transferred: ChatTransferredPayload
  connected: S.ConnectedPayload
  connection_recovered: void
  connection_unstable: void
  customer_id: string
  identity_changed: { previousId: string; newId: string }
  customer_updated: CustomerUpdatedPayload
  disconnected: DisconnectedPayload
  event_deleted: { chatId: string; threadId: string; eventId: string }
  event_properties_deleted: { chatId: string; threadId: string; eventId: string; properties: S.PropertyNames }
  event_properties_updated: { chatId: string; threadId: string; eventId: string; properties: S.Properties }
  event_updated: { chatId: string; threadId: string; event: S.ChatEvent | null }
  events_marked_as_seen: { chatId: string; userId: string; seenUpTo: string }
  greeting_accepted: { uniqueId: string }
  greeting_canceled: { uniqueId: string }
  incoming_chat: { chat: S.Chat }
  incoming_event: { chatId: string; event: S.ChatEvent }
  incoming_greeting: S.Greeting
  incoming_multicast: { author_id?: string; content: unknown; type?: string }
  incoming_rich_message_postback: {
    userId: string
    chatId: string
    threadId: string
    eventId: string
    postback: { id: string; toggled: boolean; button_type?: string; button_value?: string; ecommerce?: Record<string, unknown> }
  }
  incoming_typing_indicator: { chatId: string; typingIndicator: { authorId: string; isTyping: boolean } }
  incoming_thinking_indicator: {
    chatId: string
    threadId: string
    authorId: string
    sentAt: string
    customId?: string
    title?: string
    description?: string
  }
  incoming_welcome_message: { id: string; event: S.ChatEvent | null }
  incoming_event_preview: { chatId: string; threadId: string; event: S.ChatEvent | null }
  queue_position_updated: { chatId: string; threadId: string; queue: { position: number; waitTime: number } }
  thread_properties_deleted: { chatId: string; threadId: string; properties: S.PropertyNames }
  thread_properties_updated: { chatId: string; threadId: string; properties: S.Properties }
  user_added_to_chat: UserAddedToChatPayload
  user_data: UserData
  user_removed_from_chat: { chatId: string; userId: string; reason?: string }
}

export type CustomerEventName = keyof CustomerEventMap

/** Every event name, at run time (the type check keeps it equal to the map's keys). */
export const CUSTOMER_EVENT_NAMES = [
  'availability_updated',
  'chat_deactivated',
  'chat_properties_deleted',
  'chat_properties_updated',
  'chat_transferred',
  'connected',
  'connection_recovered',
  'connection_unstable',
  'customer_id',
  'identity_changed',
  'customer_updated',
  'disconnected',
  'event_deleted',
  'event_properties_deleted',
  'event_properties_updated',
  'event_updated',
  'events_marked_as_seen',
  'greeting_accepted',
  'greeting_canceled',
  'incoming_chat',
  'incoming_event',
  'incoming_greeting',
  'incoming_multicast',
  'incoming_rich_message_postback',
  'incoming_typing_indicator',
  'incoming_thinking_indicator',
  'incoming_welcome_message',
  'incoming_event_preview',
  'queue_position_updated',
  'thread_properties_deleted',
  'thread_properties_updated',
  'user_added_to_chat',
  'user_data',
  'user_removed_from_chat',
] as const satisfies readonly CustomerEventName[]

type Missing = Exclude<CustomerEventName, (typeof CUSTOMER_EVENT_NAMES)[number]>
/** Fails to compile when an event of the map is missing from the list. */
export const EVERY_EVENT_LISTED: [Missing] extends [never] ? true : Missing = true

/** One SDK event as a tagged value, the element type of the core's `events$`. */
export type CustomerEvent = { [K in CustomerEventName]: { type: K; payload: CustomerEventMap[K] } }[CustomerEventName]

/** Extra information a push carries that no event exposes but the state needs. */
export type PushEffect =
  | { type: 'customer_side_storage_updated'; storage: Record<string, string> }
  | { type: 'thread_of_event'; chatId: string; threadId: string }

const ev = <K extends CustomerEventName>(type: K, payload: CustomerEventMap[K]): CustomerEvent =>
  ({ type, payload }) as CustomerEvent

/** The user as `user_data` carries it: without `present` (sdk-mapping §9). */
/** The user as `user_data` carries it: without `present`; customers also get the documented `fields` alias. */
export const userDataEvent = (user: S.ChatUser): CustomerEvent => {
  const { present: _present, ...rest } = user
  return ev('user_data', rest.type === 'customer' ? { ...rest, fields: rest.sessionFields } : rest)
}

/** One `user_data` event per user, as every call and push that lists users emits them. */
export const userDataEvents = (users: readonly S.ChatUser[]): CustomerEvent[] => users.map(userDataEvent)

const userData = userDataEvent

/** The pushes both sides receive in the same shape and parse into the same payload. */
export type SharedPush =
  | 'chat_transferred'
  | 'chat_properties_updated'
  | 'chat_properties_deleted'
  | 'thread_properties_updated'
  | 'thread_properties_deleted'
  | 'event_properties_updated'
  | 'event_properties_deleted'
  | 'event_updated'
  | 'event_deleted'
  | 'events_marked_as_seen'
  | 'incoming_rich_message_postback'
  | 'incoming_thinking_indicator'
  | 'customer_updated'

/** Wire payload of each shared push. */
export interface WireSharedPushMap {
  chat_transferred: W.WireChatTransferredPush
  chat_properties_updated: W.WireChatPropertiesUpdatedPush
  chat_properties_deleted: W.WireChatPropertiesDeletedPush
  thread_properties_updated: W.WireThreadPropertiesUpdatedPush
  thread_properties_deleted: W.WireThreadPropertiesDeletedPush
  event_properties_updated: W.WireEventPropertiesUpdatedPush
  event_properties_deleted: W.WireEventPropertiesDeletedPush
  event_updated: W.WireEventUpdatedPush
  event_deleted: W.WireEventDeletedPush
  events_marked_as_seen: W.WireEventsMarkedAsSeenPush
  incoming_rich_message_postback: W.WireRichMessagePostbackPush
  incoming_thinking_indicator: W.WireThinkingIndicatorPush
  customer_updated: W.WireCustomerUpdatedPush
}

/** Payload parsers of the shared pushes, used by `parsePush` and `parseAgentPush` alike. */
export const sharedPushPayloads: { [K in SharedPush]: (p: WireSharedPushMap[K]) => CustomerEventMap[K] } = {
  chat_transferred: (p) => {
    const to = p.transferred_to ?? {}
    return {
      chatId: p.chat_id,
      ...(typeof p.thread_id === 'string' && { threadId: p.thread_id }),
      transferredTo: {
        ...(to.agent_ids !== undefined && { agentIds: to.agent_ids }),
        ...(to.group_ids !== undefined && { groupIds: to.group_ids }),
      },
      queue: parseQueue(p.queue),
      reason: p.reason,
      ...(p.reason === 'manual' && typeof p.requester_id === 'string' && { requesterId: p.requester_id }),
    }
  },
  chat_properties_updated: (p) => ({ chatId: p.chat_id, properties: parseProperties(p.properties) }),
  chat_properties_deleted: (p) => ({ chatId: p.chat_id, properties: parsePropertyNames(p.properties) }),
  thread_properties_updated: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, properties: parseProperties(p.properties) }),
  thread_properties_deleted: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, properties: parsePropertyNames(p.properties) }),
  event_properties_updated: (p) => ({
    chatId: p.chat_id,
    threadId: p.thread_id,
    eventId: p.event_id,
    properties: parseProperties(p.properties),
  }),
  event_properties_deleted: (p) => ({
    chatId: p.chat_id,
    threadId: p.thread_id,
    eventId: p.event_id,
    properties: parsePropertyNames(p.properties),
  }),
  event_updated: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, event: parseEvent(p.event, p.thread_id) }),
  event_deleted: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, eventId: p.event_id }),
  events_marked_as_seen: (p) => ({ chatId: p.chat_id, userId: p.user_id, seenUpTo: p.seen_up_to }),
  incoming_rich_message_postback: (p) => ({
    userId: p.user_id,
    chatId: p.chat_id,
    threadId: p.thread_id,
    eventId: p.event_id,
    postback: p.postback,
  }),
  incoming_thinking_indicator: (p) => ({
    chatId: p.chat_id,
    threadId: p.thread_id,
    authorId: p.author_id,
    sentAt: p.sent_at,
    ...(typeof p.custom_id === 'string' && { customId: p.custom_id }),
    ...(typeof p.title === 'string' && { title: p.title }),
    ...(typeof p.description === 'string' && { description: p.description }),
  }),
  customer_updated: (c) => {
    const sessionFields = c.session_fields !== undefined ? parseSessionFields(c.session_fields) : undefined
    return {
      id: c.id,
      ...(c.name !== undefined && { name: c.name }),
      ...(c.email !== undefined && { email: c.email }),
      ...(c.avatar !== undefined && { avatar: c.avatar }),
      ...(sessionFields && { sessionFields, fields: sessionFields }),
    }
  },
}

/** The pushes that become customer events: all but the two the connection handles itself. */
export type CustomerEventPush = Exclude<CustomerPush, 'customer_disconnected' | 'customer_side_storage_updated'>

/** Wire payload of each customer push that becomes events (customer-rtm §7). */
export interface WireCustomerPushMap extends WireSharedPushMap {
  incoming_chat: W.WireIncomingChatPush
  chat_deactivated: W.WireChatDeactivatedPush
  user_added_to_chat: W.WireUserAddedToChatPush
  user_removed_from_chat: W.WireUserRemovedFromChatPush
  incoming_event_preview: W.WireEventPreviewPush
  incoming_event: W.WireIncomingEventPush
  groups_status_updated: W.WireGroupsStatusUpdatedPush
  incoming_typing_indicator: W.WireTypingIndicatorPush
  incoming_multicast: W.WireMulticastPush
  incoming_greeting: W.WireGreeting
  greeting_accepted: W.WireGreetingStatusPush
  greeting_canceled: W.WireGreetingStatusPush
  incoming_welcome_message: W.WireIncomingWelcomeMessagePush
  queue_position_updated: W.WireQueuePositionUpdatedPush
}

interface PushRule<K extends CustomerEventPush> {
  /** What the payload must carry; checked before `parse` reads it. */
  shape: FieldRule
  parse(payload: WireCustomerPushMap[K]): CustomerEvent[]
}

/* @__NO_SIDE_EFFECTS__ */ function shared<K extends SharedPush>(type: K): PushRule<K> {
  return { shape: SHARED_PUSH_SHAPES[type], parse: (p) => [ev(type, sharedPushPayloads[type](p))] }
}

/** An event without `id` (a preview, a welcome message) gets `''`. */
const parseIdlessEvent = (event: W.WireIdlessEvent, threadId: string | null): S.ChatEvent | null =>
  parseEvent({ ...event, id: event.id ?? '' }, threadId)

/** How each customer push is checked and parsed: one entry per push, read by `parsePushChecked`. */
// built by a pure call: a bundle that never parses a push drops the table (and the parsers it holds)
const CUSTOMER_PUSH_RULES = /* @__PURE__ */ ((): { [K in CustomerEventPush]: PushRule<K> } => ({
  incoming_chat: {
    shape: { chat: chatRule },
    parse: (p) => {
      const chat = parseChat(p.chat)
      return [...chat.users.map(userData), ev('incoming_chat', { chat })]
    },
  },
  chat_deactivated: {
    shape: inChat(),
    parse: (p) => [ev('chat_deactivated', { chatId: p.chat_id })],
  },
  chat_transferred: shared('chat_transferred'),
  user_added_to_chat: {
    shape: inChat({ user: userRule }),
    parse: (p) => {
      const user = parseChatUser(p.user)
      return [userData(user), ev('user_added_to_chat', { chatId: p.chat_id, user, present: user.present })]
    },
  },
  user_removed_from_chat: {
    shape: inChat({ user_id: 'id', reason: optional('string') }),
    parse: (p) => [
      ev('user_removed_from_chat', { chatId: p.chat_id, userId: p.user_id, ...(p.reason !== undefined && { reason: p.reason }) }),
    ],
  },
  incoming_event_preview: {
    shape: inThread({ event: idlessEventRule }),
    parse: (p) => [ev('incoming_event_preview', { chatId: p.chat_id, threadId: p.thread_id, event: parseIdlessEvent(p.event, p.thread_id) })],
  },
  incoming_event: {
    shape: inThread({ event: eventRule }),
    parse: (p) => {
      const event = parseEvent(p.event, p.thread_id)
      return event ? [ev('incoming_event', { chatId: p.chat_id, event })] : []
    },
  },
  event_deleted: shared('event_deleted'),
  event_updated: shared('event_updated'),
  incoming_rich_message_postback: shared('incoming_rich_message_postback'),
  chat_properties_updated: shared('chat_properties_updated'),
  chat_properties_deleted: shared('chat_properties_deleted'),
  thread_properties_updated: {
    shape: SHARED_PUSH_SHAPES.thread_properties_updated,
    parse: (p) => {
      const event = sharedPushPayloads.thread_properties_updated(p)
      // The legacy queue convention (sdk-mapping §9): `lc2.queue_pos` in the thread's properties.
      const lc2 = event.properties.lc2
      const position = lc2?.queue_pos
      const waitTime = lc2?.queue_waiting_time
      const legacyQueue =
        typeof position === 'number'
          ? [
              ev('queue_position_updated', {
                chatId: event.chatId,
                threadId: event.threadId,
                queue: { position, waitTime: typeof waitTime === 'number' ? waitTime : 0 },
              }),
            ]
          : []
      return [...legacyQueue, ev('thread_properties_updated', event)]
    },
  },
  thread_properties_deleted: shared('thread_properties_deleted'),
  event_properties_updated: shared('event_properties_updated'),
  event_properties_deleted: shared('event_properties_deleted'),
  customer_updated: shared('customer_updated'),
  groups_status_updated: {
    shape: { groups: listOf({ id: 'number', status: 'string' }) },
    // Only the first listed group is looked at (sdk-mapping §9).
    parse: (p) => [ev('availability_updated', { availability: p.groups[0]?.status === 'offline' ? 'offline' : 'online' })],
  },
  incoming_thinking_indicator: shared('incoming_thinking_indicator'),
  incoming_typing_indicator: {
    shape: inChat({ typing_indicator: { author_id: 'id', is_typing: 'boolean' } }),
    parse: (p) => [
      ev('incoming_typing_indicator', {
        chatId: p.chat_id,
        typingIndicator: { authorId: p.typing_indicator.author_id, isTyping: p.typing_indicator.is_typing },
      }),
    ],
  },
  incoming_multicast: {
    shape: { author_id: optional('string'), type: optional('string') },
    parse: (p) => [
      ev('incoming_multicast', {
        ...(p.author_id !== undefined && { author_id: p.author_id }),
        content: p.content,
        ...(p.type !== undefined && { type: p.type }),
      }),
    ],
  },
  events_marked_as_seen: shared('events_marked_as_seen'),
  incoming_greeting: {
    shape: {
      id: 'number',
      unique_id: 'id',
      displayed_first_time: 'boolean',
      accepted: optional('boolean'),
      addon: optional(orNull('string')),
      subtype: optional('string'),
      event: eventRule,
      agent: { id: 'id', name: 'string', avatar: optional('string'), job_title: optional('string'), is_bot: optional('boolean') },
    },
    parse: (p) => [ev('incoming_greeting', parseGreeting(p))],
  },
  greeting_accepted: {
    shape: { unique_id: 'id' },
    parse: (p) => [ev('greeting_accepted', { uniqueId: p.unique_id })],
  },
  greeting_canceled: {
    shape: { unique_id: 'id' },
    parse: (p) => [ev('greeting_canceled', { uniqueId: p.unique_id })],
  },
  incoming_welcome_message: {
    shape: { id: 'id', event: idlessEventRule },
    parse: (p) => [ev('incoming_welcome_message', { id: p.id, event: parseIdlessEvent(p.event, null) })],
  },
  queue_position_updated: {
    shape: inThread({ queue: queueRule }),
    parse: (p) => [
      ev('queue_position_updated', {
        chatId: p.chat_id,
        threadId: p.thread_id,
        queue: { position: p.queue.position, waitTime: p.queue.wait_time },
      }),
    ],
  },
}))()

/** The customer pushes that become events, at run time (`CUSTOMER_PUSHES` but the two the connection handles). */
export const CUSTOMER_EVENT_PUSHES: readonly CustomerEventPush[] = /* @__PURE__ */ CUSTOMER_PUSHES.filter(
  (push): push is CustomerEventPush => push !== 'customer_disconnected' && push !== 'customer_side_storage_updated',
)

export const isCustomerEventPush = (action: string): action is CustomerEventPush => Object.hasOwn(CUSTOMER_PUSH_RULES, action)

/** What each customer push must carry (the rules `parsePushChecked` checks), for tests and tools. */
export const CUSTOMER_PUSH_SHAPES: { readonly [K in CustomerEventPush]: FieldRule } = /* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ CUSTOMER_EVENT_PUSHES.map((push) => [push, CUSTOMER_PUSH_RULES[push].shape]),
) as { [K in CustomerEventPush]: FieldRule }

const runRule = <K extends CustomerEventPush>(action: K, payload: unknown): PushCheck<CustomerEvent> => {
  const rule: PushRule<K> = CUSTOMER_PUSH_RULES[action]
  return checkedParse(action, payload, rule.shape, rule.parse)
}

/**
 * Maps a customer push to the SDK events it stands for, in order, and says when it drops
 * one. An unknown push, `customer_disconnected` and `customer_side_storage_updated` (the
 * connection's business) are `{ ok: true, events: [] }`, as is an event of a type the SDK
 * does not expose. A payload that does not fit its push's rule, or breaks the parser
 * deeper inside, is `{ ok: false, reason: '<action>: <field>' }`. Never throws.
 */
export const parsePushChecked = (action: string, payload: unknown): PushCheck<CustomerEvent> =>
  isCustomerEventPush(action) ? runRule(action, payload) : { ok: true, events: [] }

/**
 * `parsePushChecked` without the reason: the events of a push, `[]` for one that yields
 * none or does not fit. Never throws.
 */
export const parsePush = (action: string, payload: unknown): CustomerEvent[] => {
  const result = parsePushChecked(action, payload)
  return result.ok ? result.events : []
}
