/**
 * The agent client's typed methods (agent-rtm §2–4), written once over an `AgentTransport`:
 * camelCase parameters in, the wire payloads of `AgentActionMap` out, parsed results back.
 */
import { ChatError } from '@rapport/core'
import {
  type AgentChatSummary,
  type AgentCustomer,
  type Chat,
  type ChatEvent,
  type ListThreadsResult,
  type OutgoingEvent,
  type Properties,
  type PropertyNames,
  type Recipients,
  type RoutingStatus,
  type WireTransferTarget,
  parseAgentChatSummary,
  parseAgentCustomer,
  parseChat,
  parseListThreads,
  serializeOutgoingEvent,
} from '@rapport/protocol'
import type { AgentTransport } from './agentTransport'

export interface ListAgentChatsParams {
  filters?: { active?: boolean | null; includeChatsWithoutThreads?: boolean; groupIds?: number[] }
  sortOrder?: 'asc' | 'desc'
  limit?: number
  pageId?: string
}

export interface ListAgentChatsResult {
  chats: AgentChatSummary[]
  foundChats: number
  nextPageId: string | null
  previousPageId: string | null
}

export interface SendAgentEventParams {
  chatId: string
  event: OutgoingEvent
  /** `agents`: hidden from the customer. Default `all`. */
  visibility?: Recipients
}

export interface AgentMethods {
  setRoutingStatus(status: RoutingStatus): Promise<void>
  listChats(params?: ListAgentChatsParams): Promise<ListAgentChatsResult>
  getChat(params: { chatId: string; threadId?: string }): Promise<Chat>
  listThreads(params: { chatId: string; sortOrder?: 'asc' | 'desc'; limit?: number; pageId?: string }): Promise<ListThreadsResult>
  /** Resolves with the event as stored. */
  sendEvent(params: SendAgentEventParams): Promise<ChatEvent>
  sendTypingIndicator(params: { chatId: string; isTyping: boolean; visibility?: Recipients }): Promise<void>
  sendThinkingIndicator(params: { chatId: string; title?: string; description?: string; visibility?: Recipients; customId?: string }): Promise<void>
  /** Without `target` the chat is re-routed within its group. */
  transferChat(params: { id: string; target?: WireTransferTarget; ignoreAgentsAvailability?: boolean; ignoreRequesterPresence?: boolean }): Promise<void>
  addUserToChat(params: { chatId: string; userId: string; userType: 'agent' | 'customer'; visibility?: Recipients; ignoreRequesterPresence?: boolean }): Promise<void>
  removeUserFromChat(params: { chatId: string; userId: string; ignoreRequesterPresence?: boolean }): Promise<void>
  deactivateChat(params: { id: string; ignoreRequesterPresence?: boolean }): Promise<void>
  markEventsAsSeen(params: { chatId: string; seenUpTo: string }): Promise<void>
  updateChatProperties(params: { id: string; properties: Properties }): Promise<void>
  deleteChatProperties(params: { id: string; properties: PropertyNames }): Promise<void>
  updateThreadProperties(params: { chatId: string; threadId: string; properties: Properties }): Promise<void>
  deleteThreadProperties(params: { chatId: string; threadId: string; properties: PropertyNames }): Promise<void>
  /** The agent-side Customer record (seed `000_…`). */
  getCustomer(params: { id: string }): Promise<AgentCustomer>
}

const presence = (ignore: boolean | undefined) => (ignore === undefined ? {} : { ignore_requester_presence: ignore })

export const createAgentMethods = (transport: AgentTransport): AgentMethods => {
  const request = transport.request
  const getChat: AgentMethods['getChat'] = async ({ chatId, threadId }) =>
    parseChat(await request('get_chat', { chat_id: chatId, ...(threadId !== undefined && { thread_id: threadId }) }))
  return {
    setRoutingStatus: async (status) => void (await request('set_routing_status', { status })),
    listChats: async (params = {}) => {
      const f = params.filters
      const answer = await request('list_chats', {
        ...(f !== undefined && {
          filters: {
            ...(f.active !== undefined && { active: f.active }),
            ...(f.includeChatsWithoutThreads !== undefined && { include_chats_without_threads: f.includeChatsWithoutThreads }),
            ...(f.groupIds !== undefined && { group_ids: f.groupIds }),
          },
        }),
        ...(params.sortOrder !== undefined && { sort_order: params.sortOrder }),
        ...(params.limit !== undefined && { limit: params.limit }),
        ...(params.pageId !== undefined && { page_id: params.pageId }),
      })
      return {
        chats: answer.chats_summary.map(parseAgentChatSummary),
        foundChats: answer.found_chats,
        nextPageId: answer.next_page_id ?? null,
        previousPageId: answer.previous_page_id ?? null,
      }
    },
    getChat,
    listThreads: async ({ chatId, sortOrder, limit, pageId }) =>
      parseListThreads(
        await request('list_threads', {
          chat_id: chatId,
          ...(sortOrder !== undefined && { sort_order: sortOrder }),
          ...(limit !== undefined && { limit }),
          ...(pageId !== undefined && { page_id: pageId }),
        }),
        chatId,
      ),
    sendEvent: async ({ chatId, event, visibility = 'all' }) => {
      const { event_id: eventId } = await request('send_event', { chat_id: chatId, event: { ...serializeOutgoingEvent(event), visibility } })
      // read the stored event back (the Web API answers with its id only)
      const stored = (await getChat({ chatId })).thread?.events.find((e) => e.id === eventId)
      if (!stored) throw new ChatError('INTERNAL', 'The sent event could not be read back')
      return stored
    },
    sendTypingIndicator: async ({ chatId, isTyping, visibility }) =>
      void (await request('send_typing_indicator', { chat_id: chatId, is_typing: isTyping, ...(visibility !== undefined && { visibility }) })),
    sendThinkingIndicator: async ({ chatId, title, description, visibility, customId }) =>
      void (await request('send_thinking_indicator', {
        chat_id: chatId,
        ...(title !== undefined && { title }),
        ...(description !== undefined && { description }),
        ...(visibility !== undefined && { visibility }),
        ...(customId !== undefined && { custom_id: customId }),
      })),
    transferChat: async ({ id, target, ignoreAgentsAvailability, ignoreRequesterPresence }) =>
      void (await request('transfer_chat', {
        id,
        ...(target !== undefined && { target }),
        ...(ignoreAgentsAvailability !== undefined && { ignore_agents_availability: ignoreAgentsAvailability }),
        ...presence(ignoreRequesterPresence),
      })),
    addUserToChat: async ({ chatId, userId, userType, visibility = 'all', ignoreRequesterPresence }) =>
      void (await request('add_user_to_chat', { chat_id: chatId, user_id: userId, user_type: userType, visibility, ...presence(ignoreRequesterPresence) })),
    removeUserFromChat: async ({ chatId, userId, ignoreRequesterPresence }) =>
      void (await request('remove_user_from_chat', { chat_id: chatId, user_id: userId, user_type: 'agent', ...presence(ignoreRequesterPresence) })),
    deactivateChat: async ({ id, ignoreRequesterPresence }) => void (await request('deactivate_chat', { id, ...presence(ignoreRequesterPresence) })),
    markEventsAsSeen: async ({ chatId, seenUpTo }) => void (await request('mark_events_as_seen', { chat_id: chatId, seen_up_to: seenUpTo })),
    updateChatProperties: async ({ id, properties }) => void (await request('update_chat_properties', { id, properties })),
    deleteChatProperties: async ({ id, properties }) => void (await request('delete_chat_properties', { id, properties })),
    updateThreadProperties: async ({ chatId, threadId, properties }) =>
      void (await request('update_thread_properties', { chat_id: chatId, thread_id: threadId, properties })),
    deleteThreadProperties: async ({ chatId, threadId, properties }) =>
      void (await request('delete_thread_properties', { chat_id: chatId, thread_id: threadId, properties })),
    getCustomer: async ({ id }) => parseAgentCustomer(await request('get_customer', { id })),
  }
}
