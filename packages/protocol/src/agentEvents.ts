/**
 * The agent client's events: names and payload types, `parseAgentPush`, which turns one
 * agent push (agent-rtm §5) into the events it stands for, and `parseAgentLogin`.
 * Pushes of the same shape on both sides go through the customer's payload parsers.
 */
import { AGENT_PUSHES, type AgentPush } from './actions'
import {
  type CustomerEventMap,
  type DisconnectedPayload,
  type SharedPush,
  type WireSharedPushMap,
  sharedPushPayloads,
} from './events'
import { parseAccess, parseChat, parseChatSummary, parseChatUser, parseEvent, parseProperties, parseQueue } from './parse'
import { SHARED_PUSH_SHAPES, chatRule, eventRule, inThread, inChat, queueRule, userRule } from './pushShapes'
import { type FieldRule, type PushCheck, checkedParse, listOf, optional } from './shape'
import type * as S from './sdk'
import type * as W from './wire'

export type RoutingStatus = W.WireRoutingStatus

/** `my_profile` of the login response. */
export interface AgentMyProfile {
  id: string
  type: 'agent'
  name: string
  email?: string
  avatar: string
  jobTitle: string
  routingStatus?: RoutingStatus
  permission?: string
  isBot: boolean
}

export interface AgentLicense {
  id: string
  organizationId?: string
  plan?: string
  expirationTimestamp?: number
  creationTimestamp?: number
  inTrial?: boolean
}

/** The last thread of a chat as an agent's chat summary carries it. */
export interface AgentThreadSummary {
  id: string
  createdAt: string
  userIds: string[]
  properties: S.Properties
  active: boolean
  access: S.Access
  queue: S.Queue | null
}

/** An agent's chat summary: the customer's summary fields, plus the last thread and following. */
export interface AgentChatSummary extends S.ChatSummary {
  lastThreadSummary: AgentThreadSummary | null
  isFollowed: boolean
}

/** The `connected` payload: the parsed agent login response. */
export interface AgentConnectedPayload {
  myProfile: AgentMyProfile
  license: AgentLicense
  chats: AgentChatSummary[]
}

export interface AgentIncomingChatPayload {
  chat: S.Chat
  requesterId?: string
  transferredFrom?: { agentIds?: string[]; groupIds?: number[] }
}

export interface AgentUserAddedToChatPayload {
  chatId: string
  threadId?: string
  user: S.ChatUser
  present: boolean
  reason: string
  requesterId?: string
}

export interface AgentUserRemovedFromChatPayload {
  chatId: string
  threadId?: string
  userId: string
  reason: string
  requesterId?: string
}

export interface QueuePosition {
  chatId: string
  threadId: string
  queue: { position: number; waitTime: number }
}

/** Every agent client event with its payload type. */
export interface AgentEventMap extends Pick<CustomerEventMap, SharedPush> {
  connected: AgentConnectedPayload
  disconnected: DisconnectedPayload
  connection_unstable: void
  connection_recovered: void
  incoming_chat: AgentIncomingChatPayload
  chat_deactivated: { chatId: string; threadId: string; userId?: string }
  chat_access_updated: { chatId: string; access: S.Access }
  user_added_to_chat: AgentUserAddedToChatPayload
  user_removed_from_chat: AgentUserRemovedFromChatPayload
  /** `visibility`: `agents` for an event the customer does not see. */
  incoming_event: { chatId: string; event: S.ChatEvent; visibility: W.Recipients }
  /** What the customer is typing (`send_sneak_peek`); `timestamp` in Unix seconds. */
  incoming_sneak_peek: { chatId: string; threadId: string; sneakPeek: { authorId: string; text: string; timestamp?: number } }
  incoming_typing_indicator: {
    chatId: string
    threadId: string
    typingIndicator: { authorId: string; isTyping: boolean; visibility?: W.Recipients; timestamp?: number }
  }
  routing_status_set: { agentId: string; status: RoutingStatus }
  queue_positions_updated: { positions: QueuePosition[] }
  incoming_multicast: { authorId?: string; content: unknown; type?: string }
}

export type AgentEventName = keyof AgentEventMap

/** One agent event as a tagged value. */
export type AgentEvent = { [K in AgentEventName]: { type: K; payload: AgentEventMap[K] } }[AgentEventName]

/** The pushes that become events: every agent push but the connection-level `agent_disconnected`. */
export type AgentEventPush = Exclude<AgentPush, 'agent_disconnected'>

/** Wire payload of each agent push (agent-rtm §5). */
export interface WireAgentPushMap extends WireSharedPushMap {
  incoming_chat: W.WireIncomingChatPush
  chat_deactivated: W.WireChatDeactivatedPush
  chat_access_updated: W.WireChatAccessUpdatedPush
  user_added_to_chat: W.WireUserAddedToChatPush
  user_removed_from_chat: W.WireUserRemovedFromChatPush
  incoming_event: W.WireIncomingEventPush
  incoming_sneak_peek: W.WireSneakPeekPush
  incoming_typing_indicator: W.WireTypingIndicatorPush
  routing_status_set: W.WireRoutingStatusSetPush
  queue_positions_updated: W.WireQueuePositionsUpdatedPush
  incoming_multicast: W.WireMulticastPush
  agent_disconnected: W.WireAgentDisconnectedPush
}

// ---------------------------------------------------------------- login

const parseAgentThreadSummary = (t: W.WireAgentThreadSummary): AgentThreadSummary => ({
  id: t.id,
  createdAt: t.created_at,
  userIds: t.user_ids,
  properties: parseProperties(t.properties),
  active: t.active,
  access: parseAccess(t.access),
  queue: parseQueue(t.queue),
})

export const parseAgentChatSummary = (s: W.WireAgentChatSummary): AgentChatSummary => {
  const last = s.last_thread_summary
  return {
    ...parseChatSummary({
      id: s.id,
      users: s.users,
      ...(s.last_event_per_type !== undefined && { last_event_per_type: s.last_event_per_type }),
      ...(s.access !== undefined && { access: s.access }),
      ...(s.properties !== undefined && { properties: s.properties }),
      ...(last !== undefined && { last_thread_id: last.id, last_thread_created_at: last.created_at, active: last.active }),
    }),
    lastThreadSummary: last ? parseAgentThreadSummary(last) : null,
    isFollowed: s.is_followed ?? false,
  }
}

export const parseAgentProfile = (p: W.WireAgentProfile): AgentMyProfile => ({
  id: p.id,
  type: 'agent',
  name: p.name,
  ...(p.email !== undefined && { email: p.email }),
  avatar: p.avatar ?? '',
  jobTitle: p.job_title ?? '',
  ...(p.routing_status !== undefined && { routingStatus: p.routing_status }),
  ...(p.permission !== undefined && { permission: p.permission }),
  isBot: p.is_bot ?? false,
})

/** The agent `login` response (agent-rtm §2) as the `connected` payload. */
export const parseAgentLogin = (r: W.WireAgentLoginResponse): AgentConnectedPayload => ({
  myProfile: parseAgentProfile(r.my_profile),
  license: {
    id: r.license.id,
    ...(r.license.organization_id !== undefined && { organizationId: r.license.organization_id }),
    ...(r.license.plan !== undefined && { plan: r.license.plan }),
    ...(r.license.expiration_timestamp !== undefined && { expirationTimestamp: r.license.expiration_timestamp }),
    ...(r.license.creation_timestamp !== undefined && { creationTimestamp: r.license.creation_timestamp }),
    ...(r.license.in_trial !== undefined && { inTrial: r.license.in_trial }),
  },
  chats: (r.chats_summary ?? []).map(parseAgentChatSummary),
})

// ---------------------------------------------------------------- pushes

interface PushRule<K extends AgentEventPush> {
  /** What the payload must carry (for `queue_positions_updated`, a list); checked before `parse` reads it. */
  shape: FieldRule
  parse(payload: WireAgentPushMap[K]): AgentEvent[]
}

const ev = <K extends AgentEventName>(type: K, payload: AgentEventMap[K]): AgentEvent => ({ type, payload }) as AgentEvent

/** A push parsed by the customer's payload parser (`AgentEventMap` picks those entries of `CustomerEventMap`), with the shared rule. */
/* @__NO_SIDE_EFFECTS__ */ function shared<K extends SharedPush>(type: K): PushRule<K> {
  return { shape: SHARED_PUSH_SHAPES[type], parse: (p) => [ev(type, sharedPushPayloads[type](p) as AgentEventMap[K])] }
}

const ROUTING_STATUSES: readonly RoutingStatus[] = ['accepting_chats', 'not_accepting_chats', 'offline']
const VISIBILITIES: readonly W.Recipients[] = ['all', 'agents']

/** How each agent push is checked and parsed: one entry per push, read by `parseAgentPushChecked`. */
// built by a pure call: a bundle that never parses a push drops the table (and the parsers it holds)
const AGENT_PUSH_RULES = /* @__PURE__ */ ((): { [K in AgentEventPush]: PushRule<K> } => ({
  incoming_chat: {
    shape: {
      chat: chatRule,
      requester_id: optional('string'),
      transferred_from: optional({ agent_ids: optional(listOf('string')), group_ids: optional(listOf('number')) }),
    },
    parse: (p) => {
      const from = p.transferred_from
      return [
        ev('incoming_chat', {
          chat: parseChat(p.chat),
          ...(typeof p.requester_id === 'string' && { requesterId: p.requester_id }),
          ...(from !== undefined && {
            transferredFrom: {
              ...(from.agent_ids !== undefined && { agentIds: from.agent_ids }),
              ...(from.group_ids !== undefined && { groupIds: from.group_ids }),
            },
          }),
        }),
      ]
    },
  },
  chat_deactivated: {
    shape: inThread(),
    parse: (p) => [
      ev('chat_deactivated', { chatId: p.chat_id, threadId: p.thread_id, ...(typeof p.user_id === 'string' && { userId: p.user_id }) }),
    ],
  },
  chat_transferred: shared('chat_transferred'),
  chat_access_updated: {
    shape: { id: 'id', access: { group_ids: optional(listOf('number')) } },
    parse: (p) => [ev('chat_access_updated', { chatId: p.id, access: parseAccess(p.access) })],
  },
  user_added_to_chat: {
    shape: inChat({ reason: 'string', user: userRule }),
    parse: (p) => {
      const user = parseChatUser(p.user)
      return [
        ev('user_added_to_chat', {
          chatId: p.chat_id,
          ...(typeof p.thread_id === 'string' && { threadId: p.thread_id }),
          user,
          present: user.present,
          reason: p.reason,
          ...(typeof p.requester_id === 'string' && { requesterId: p.requester_id }),
        }),
      ]
    },
  },
  user_removed_from_chat: {
    shape: inChat({ user_id: 'id', reason: 'string' }),
    parse: (p) => [
      ev('user_removed_from_chat', {
        chatId: p.chat_id,
        ...(typeof p.thread_id === 'string' && { threadId: p.thread_id }),
        userId: p.user_id,
        reason: p.reason,
        ...(typeof p.requester_id === 'string' && { requesterId: p.requester_id }),
      }),
    ],
  },
  incoming_event: {
    shape: inThread({ event: eventRule }),
    parse: (p) => {
      const event = parseEvent(p.event, p.thread_id)
      const visibility = p.event.visibility ?? p.event.recipients
      return event
        ? [ev('incoming_event', { chatId: p.chat_id, event, visibility: visibility === 'agents' ? 'agents' : 'all' })]
        : []
    },
  },
  event_deleted: shared('event_deleted'),
  event_updated: shared('event_updated'),
  incoming_rich_message_postback: shared('incoming_rich_message_postback'),
  chat_properties_updated: shared('chat_properties_updated'),
  chat_properties_deleted: shared('chat_properties_deleted'),
  thread_properties_updated: shared('thread_properties_updated'),
  thread_properties_deleted: shared('thread_properties_deleted'),
  event_properties_updated: shared('event_properties_updated'),
  event_properties_deleted: shared('event_properties_deleted'),
  customer_updated: shared('customer_updated'),
  incoming_sneak_peek: {
    shape: inThread({ sneak_peek: { author_id: 'id', text: 'string' } }),
    parse: (p) => [
      ev('incoming_sneak_peek', {
        chatId: p.chat_id,
        threadId: p.thread_id,
        sneakPeek: {
          authorId: p.sneak_peek.author_id,
          text: p.sneak_peek.text,
          ...(typeof p.sneak_peek.timestamp === 'number' && { timestamp: p.sneak_peek.timestamp }),
        },
      }),
    ],
  },
  incoming_typing_indicator: {
    shape: inThread({ typing_indicator: { author_id: 'id', is_typing: 'boolean' } }),
    parse: (p) => {
      const t = p.typing_indicator
      const visibility = t.visibility ?? t.recipients
      return [
        ev('incoming_typing_indicator', {
          chatId: p.chat_id,
          threadId: p.thread_id,
          typingIndicator: {
            authorId: t.author_id,
            isTyping: t.is_typing,
            ...(visibility !== undefined && VISIBILITIES.includes(visibility) && { visibility }),
            ...(typeof t.timestamp === 'number' && { timestamp: t.timestamp }),
          },
        }),
      ]
    },
  },
  incoming_thinking_indicator: shared('incoming_thinking_indicator'),
  events_marked_as_seen: shared('events_marked_as_seen'),
  routing_status_set: {
    shape: { agent_id: 'id', status: ROUTING_STATUSES },
    parse: (p) => [ev('routing_status_set', { agentId: p.agent_id, status: p.status })],
  },
  queue_positions_updated: {
    shape: listOf(inThread({ queue: queueRule })),
    parse: (entries) => [
      ev('queue_positions_updated', {
        positions: entries.map((e) => ({
          chatId: e.chat_id,
          threadId: e.thread_id,
          queue: { position: e.queue.position, waitTime: e.queue.wait_time },
        })),
      }),
    ],
  },
  incoming_multicast: {
    shape: { author_id: optional('string'), type: optional('string') },
    parse: (p) => [
      ev('incoming_multicast', {
        ...(typeof p.author_id === 'string' && { authorId: p.author_id }),
        content: p.content,
        ...(typeof p.type === 'string' && { type: p.type }),
      }),
    ],
  },
}))()

/** The agent pushes `parseAgentPush` turns into events, at run time. */
export const AGENT_EVENT_PUSHES: readonly AgentEventPush[] = /* @__PURE__ */ AGENT_PUSHES.filter(
  (push): push is AgentEventPush => push !== 'agent_disconnected',
)

/** Every agent event name, at run time. */
export const AGENT_EVENT_NAMES: readonly AgentEventName[] = /* @__PURE__ */ (
  ['connected', 'disconnected', 'connection_unstable', 'connection_recovered'] as AgentEventName[]
).concat(AGENT_EVENT_PUSHES)

export const isAgentEventPush = (action: string): action is AgentEventPush => Object.hasOwn(AGENT_PUSH_RULES, action)

/** What each agent push must carry (the rules `parseAgentPushChecked` checks), for tests and tools. */
export const AGENT_PUSH_SHAPES: { readonly [K in AgentEventPush]: FieldRule } = /* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ AGENT_EVENT_PUSHES.map((push) => [push, AGENT_PUSH_RULES[push].shape]),
) as { [K in AgentEventPush]: FieldRule }

const runRule = <K extends AgentEventPush>(action: K, payload: unknown): PushCheck<AgentEvent> => {
  const rule: PushRule<K> = AGENT_PUSH_RULES[action]
  return checkedParse(action, payload, rule.shape, rule.parse)
}

/**
 * Maps an agent push to the events it stands for, and says when it drops one. An unknown
 * push and `agent_disconnected` (the connection machine's business) are
 * `{ ok: true, events: [] }`, as is an event of a type the SDK does not expose. A payload
 * that does not fit its push's rule, or breaks the parser deeper inside, is
 * `{ ok: false, reason: '<action>: <field>' }`. Never throws.
 */
export const parseAgentPushChecked = (action: string, payload: unknown): PushCheck<AgentEvent> =>
  isAgentEventPush(action) ? runRule(action, payload) : { ok: true, events: [] }

/** `parseAgentPushChecked` without the reason: the events of a push, `[]` for one that yields none or does not fit. Never throws. */
export const parseAgentPush = (action: string, payload: unknown): AgentEvent[] => {
  const result = parseAgentPushChecked(action, payload)
  return result.ok ? result.events : []
}
