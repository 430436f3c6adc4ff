/**
 * The SDK's events: names and payload types (seed 003 "Events", sdk-mapping §9), and
 * `parsePush`, which turns one wire push into the SDK events it stands for. The payload
 * parsers of pushes both sides share (`sharedPushPayloads`) serve `parseAgentPush` too.
 */
import { parseChat, parseChatUser, parseEvent, parseGreeting, parseQueue, parseSessionFields } from './parse'
import type * as S from './sdk'
import type * as W from './wire'

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

type P = Record<string, unknown>

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
  chat_properties_updated: (p) => ({ chatId: p.chat_id, properties: p.properties }),
  chat_properties_deleted: (p) => ({ chatId: p.chat_id, properties: p.properties }),
  thread_properties_updated: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, properties: p.properties }),
  thread_properties_deleted: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, properties: p.properties }),
  event_properties_updated: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, eventId: p.event_id, properties: p.properties }),
  event_properties_deleted: (p) => ({ chatId: p.chat_id, threadId: p.thread_id, eventId: p.event_id, properties: p.properties }),
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

/**
 * Maps a wire push to the SDK events it stands for, in order. Returns `[]` for pushes
 * that produce no event (unknown ones, unparseable events, `customer_disconnected`,
 * which the connection machine handles).
 */
export const parsePush = (action: string, payload: unknown): CustomerEvent[] => {
  const p = payload as P
  const shared = <K extends SharedPush>(name: K): CustomerEvent[] =>
    [ev(name, sharedPushPayloads[name](payload as WireSharedPushMap[K]))]
  switch (action) {
    case 'incoming_chat': {
      const chat = parseChat((p as unknown as W.WireIncomingChatPush).chat)
      return [...chat.users.map(userData), ev('incoming_chat', { chat })]
    }
    case 'incoming_event': {
      const push = p as unknown as W.WireIncomingEventPush
      const event = parseEvent(push.event, push.thread_id)
      return event ? [ev('incoming_event', { chatId: push.chat_id, event })] : []
    }
    case 'chat_deactivated':
      return [ev('chat_deactivated', { chatId: String(p.chat_id) })]
    case 'user_added_to_chat': {
      const push = p as unknown as W.WireUserAddedToChatPush
      const user = parseChatUser(push.user)
      return [userData(user), ev('user_added_to_chat', { chatId: push.chat_id, user, present: user.present })]
    }
    case 'user_removed_from_chat': {
      const push = p as unknown as W.WireUserRemovedFromChatPush
      return [ev('user_removed_from_chat', { chatId: push.chat_id, userId: push.user_id, ...(push.reason !== undefined && { reason: push.reason }) })]
    }
    case 'thread_properties_updated': {
      const event = sharedPushPayloads.thread_properties_updated(p as unknown as W.WireThreadPropertiesUpdatedPush)
      const lc2 = event.properties.lc2 as { queue_pos?: number; queue_waiting_time?: number } | undefined
      const legacyQueue =
        lc2?.queue_pos !== undefined
          ? [
              ev('queue_position_updated', {
                chatId: event.chatId,
                threadId: event.threadId,
                queue: { position: lc2.queue_pos, waitTime: lc2.queue_waiting_time ?? 0 },
              }),
            ]
          : []
      return [...legacyQueue, ev('thread_properties_updated', event)]
    }
    case 'chat_transferred':
    case 'chat_properties_updated':
    case 'chat_properties_deleted':
    case 'thread_properties_deleted':
    case 'event_properties_updated':
    case 'event_properties_deleted':
    case 'event_updated':
    case 'event_deleted':
    case 'events_marked_as_seen':
    case 'incoming_rich_message_postback':
    case 'incoming_thinking_indicator':
    case 'customer_updated':
      return shared(action)
    case 'incoming_greeting':
      return [ev('incoming_greeting', parseGreeting(p as unknown as W.WireGreeting))]
    case 'greeting_accepted':
    case 'greeting_canceled':
      return [ev(action, { uniqueId: String(p.unique_id) })]
    case 'incoming_typing_indicator': {
      const t = (p.typing_indicator ?? {}) as { author_id?: string; is_typing?: boolean }
      return [ev('incoming_typing_indicator', { chatId: String(p.chat_id), typingIndicator: { authorId: String(t.author_id), isTyping: Boolean(t.is_typing) } })]
    }
    case 'incoming_welcome_message':
      return [ev('incoming_welcome_message', { id: String(p.id), event: parseEvent(p.event as W.WireEvent, null) })]
    case 'incoming_event_preview': {
      const threadId = String(p.thread_id)
      const event = parseEvent({ id: '', ...(p.event as object) } as W.WireEvent, threadId)
      return [ev('incoming_event_preview', { chatId: String(p.chat_id), threadId, event })]
    }
    case 'queue_position_updated': {
      const q = (p.queue ?? {}) as { position?: number; wait_time?: number }
      return [
        ev('queue_position_updated', {
          chatId: String(p.chat_id),
          threadId: String(p.thread_id),
          queue: { position: q.position ?? 0, waitTime: q.wait_time ?? 0 },
        }),
      ]
    }
    case 'groups_status_updated': {
      const first = (p.groups as Array<{ status?: string }> | undefined)?.[0]
      return [ev('availability_updated', { availability: first?.status === 'offline' ? 'offline' : 'online' })]
    }
    case 'incoming_multicast':
      return [ev('incoming_multicast', p as CustomerEventMap['incoming_multicast'])]
    default:
      return []
  }
}
