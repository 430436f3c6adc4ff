import type {
  Access,
  Availability,
  Chat,
  ChatEvent,
  ChatUser,
  ConnectedPayload,
  Customer,
  CustomerEvent,
  ErrorCode,
  EventsSeenUpToMap,
  Greeting,
  ListChatsResult,
  LoginChat,
  Properties,
  Queue,
  Thread,
} from '@rapport/protocol'
import { type Draft, produce } from 'immer'
import type { ConnectionStatus } from '../connection/connectionMachine'

/** Local delivery status of an event: the customer's own outgoing ones may be pending or failed. */
export type EventStatus = 'pending' | 'sent' | 'failed'

export type EventEntity = ChatEvent & { status: EventStatus; error?: ErrorCode }

export interface ThreadEntity {
  id: string
  chatId: string
  active: boolean
  access: Access
  createdAt: string
  userIds: string[]
  properties: Properties
  previousThreadId: string | null
  nextThreadId: string | null
  queue: Queue | null
  /** Ordered by `createdAt`, each id once. */
  eventIds: string[]
}

export interface ChatEntity {
  id: string
  active: boolean
  access: Access
  properties: Properties
  userIds: string[]
  /** Ordered by creation, each id once. */
  threadIds: string[]
  eventsSeenUpTo: EventsSeenUpToMap
  /** The customer's own events not confirmed by the server yet (pending or failed), in sending order. */
  pendingEventIds: string[]
  /** Users typing right now. */
  typing: Record<string, boolean>
  hasUnreadEvents: boolean
}

export interface ChatState {
  connection: { status: ConnectionStatus; reason: string | null }
  customerId: string | null
  customer: Customer | null
  availability: Availability
  greeting: Greeting | null
  users: Record<string, ChatUser>
  chats: Record<string, ChatEntity>
  threads: Record<string, ThreadEntity>
  events: Record<string, EventEntity>
}

export const initialChatState: ChatState = {
  connection: { status: 'idle', reason: null },
  customerId: null,
  customer: null,
  availability: 'offline',
  greeting: null,
  users: {},
  chats: {},
  threads: {},
  events: {},
}

/** Everything the reducer folds: SDK events plus results of calls and local changes. */
export type ChatAction =
  | CustomerEvent
  | { type: 'connection/status'; status: ConnectionStatus; reason: string | null }
  | { type: 'login/succeeded'; connected: ConnectedPayload; chats: LoginChat[] }
  | { type: 'chat/fetched'; chat: Chat }
  | { type: 'chats/listed'; result: ListChatsResult }
  | { type: 'threads/fetched'; chatId: string; threads: Thread[] }
  | { type: 'event/pending'; chatId: string; event: EventEntity }
  | { type: 'event/sent'; chatId: string; event: ChatEvent; localId?: string }
  | { type: 'event/failed'; localId: string; error: ErrorCode }
  | { type: 'identity/reset'; customerId: string }

const ensureChat = (draft: Draft<ChatState>, id: string): Draft<ChatEntity> => {
  let chat = draft.chats[id]
  if (!chat) {
    chat = { id, active: false, access: {}, properties: {}, userIds: [], threadIds: [], eventsSeenUpTo: {}, pendingEventIds: [], typing: {}, hasUnreadEvents: false }
    draft.chats[id] = chat
  }
  return chat
}

const addUser = (draft: Draft<ChatState>, user: ChatUser): void => {
  draft.users[user.id] = user as Draft<ChatUser>
}

/**
 * Inserts an id keeping the list ordered by `key`. New data nearly always belongs at the
 * end, so that is checked first; otherwise a binary search finds the place. The caller
 * makes sure the id is not in the list yet.
 */
const insertOrdered = (ids: string[], id: string, key: (id: string) => string): void => {
  const k = key(id)
  const last = ids[ids.length - 1]
  if (last === undefined || key(last) <= k) {
    ids.push(id)
    return
  }
  let low = 0
  let high = ids.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (key(ids[mid] as string) <= k) low = mid + 1
    else high = mid
  }
  ids.splice(low, 0, id)
}

const putEvent = (draft: Draft<ChatState>, chatId: string, event: ChatEvent, status: EventStatus = 'sent'): void => {
  const threadId = event.threadId
  // known ids are O(1) through the events map: a repeated push only refreshes the entity
  const known = draft.events[event.id]
  const listed = known !== undefined && known.threadId === threadId
  draft.events[event.id] = { ...event, status } as Draft<EventEntity>
  if (!threadId || listed) return
  const chat = ensureChat(draft, chatId)
  let thread = draft.threads[threadId]
  if (!thread) {
    thread = {
      id: threadId,
      chatId,
      active: true,
      access: {},
      createdAt: event.createdAt,
      userIds: [],
      properties: {},
      previousThreadId: null,
      nextThreadId: null,
      queue: null,
      eventIds: [],
    }
    draft.threads[threadId] = thread
    insertOrdered(chat.threadIds, threadId, (id) => draft.threads[id]?.createdAt ?? '')
  }
  if (known?.threadId) {
    // the event moved (e.g. a local copy filed under another thread): unlist it there
    const previous = draft.threads[known.threadId]
    if (previous) previous.eventIds = previous.eventIds.filter((id) => id !== event.id)
  }
  insertOrdered(thread.eventIds, event.id, (id) => draft.events[id]?.createdAt ?? '')
}

const putThread = (draft: Draft<ChatState>, thread: Thread): void => {
  const chat = ensureChat(draft, thread.chatId)
  const known = draft.threads[thread.id]
  draft.threads[thread.id] = {
    id: thread.id,
    chatId: thread.chatId,
    active: thread.active,
    access: thread.access,
    createdAt: thread.createdAt,
    userIds: thread.userIds,
    properties: thread.properties,
    previousThreadId: thread.previousThreadId,
    nextThreadId: thread.nextThreadId,
    queue: thread.queue,
    eventIds: known?.eventIds ?? [],
  } as Draft<ThreadEntity>
  if (!known) insertOrdered(chat.threadIds, thread.id, (id) => draft.threads[id]?.createdAt ?? '')
  for (const event of thread.events) putEvent(draft, thread.chatId, event)
}

const putChat = (draft: Draft<ChatState>, chat: Chat): void => {
  const entity = ensureChat(draft, chat.id)
  entity.access = chat.access
  entity.properties = chat.properties
  entity.userIds = chat.users.map((u) => u.id)
  entity.eventsSeenUpTo = chat.eventsSeenUpToMap
  for (const user of chat.users) addUser(draft, user)
  if (chat.thread) {
    putThread(draft, chat.thread)
    const last = entity.threadIds[entity.threadIds.length - 1]
    entity.active = last === chat.thread.id ? chat.thread.active : entity.active
  }
}

const apply = (draft: Draft<ChatState>, action: ChatAction): void => {
  switch (action.type) {
    case 'connection/status':
      draft.connection = { status: action.status, reason: action.reason }
      return
    case 'login/succeeded':
      draft.customer = action.connected.customer as Draft<Customer>
      draft.customerId = action.connected.customer.id
      draft.availability = action.connected.availability
      if (action.connected.greeting) draft.greeting = action.connected.greeting as Draft<Greeting>
      for (const chat of action.chats) {
        const entity = ensureChat(draft, chat.id)
        entity.active = chat.active
        entity.hasUnreadEvents = chat.hasUnreadEvents
      }
      return
    case 'identity/reset':
      Object.assign(draft, { ...initialChatState, connection: draft.connection, customerId: action.customerId })
      return
    case 'chat/fetched':
    case 'incoming_chat':
      putChat(draft, action.type === 'chat/fetched' ? action.chat : action.payload.chat)
      if (action.type === 'incoming_chat' && action.payload.chat.thread) ensureChat(draft, action.payload.chat.id).active = action.payload.chat.thread.active
      return
    case 'chats/listed':
      for (const summary of action.result.chatsSummary) {
        const entity = ensureChat(draft, summary.id)
        entity.active = summary.active
        entity.access = summary.access
        entity.properties = summary.properties
        entity.userIds = summary.users.map((u) => u.id)
        entity.eventsSeenUpTo = summary.eventsSeenUpToMap
        for (const user of summary.users) addUser(draft, user)
        if (summary.lastEvent) putEvent(draft, summary.id, summary.lastEvent)
      }
      return
    case 'threads/fetched':
      for (const thread of action.threads) putThread(draft, thread)
      return
    case 'incoming_event':
      putEvent(draft, action.payload.chatId, action.payload.event)
      return
    case 'event/pending': {
      draft.events[action.event.id] = action.event as Draft<EventEntity>
      const chat = ensureChat(draft, action.chatId)
      if (!chat.pendingEventIds.includes(action.event.id)) chat.pendingEventIds.push(action.event.id)
      return
    }
    case 'event/sent':
      if (action.localId && action.localId !== action.event.id) {
        delete draft.events[action.localId]
        const chat = draft.chats[action.chatId]
        if (chat) chat.pendingEventIds = chat.pendingEventIds.filter((id) => id !== action.localId)
      }
      putEvent(draft, action.chatId, action.event)
      return
    case 'event/failed': {
      const event = draft.events[action.localId]
      if (event) {
        event.status = 'failed'
        event.error = action.error
      }
      return
    }
    case 'chat_deactivated': {
      const chat = ensureChat(draft, action.payload.chatId)
      chat.active = false
      for (const id of chat.threadIds) {
        const thread = draft.threads[id]
        if (thread) thread.active = false
      }
      chat.typing = {}
      return
    }
    case 'user_data':
      addUser(draft, { ...draft.users[action.payload.id], ...action.payload } as ChatUser)
      return
    case 'user_added_to_chat': {
      addUser(draft, action.payload.user)
      const chat = ensureChat(draft, action.payload.chatId)
      if (!chat.userIds.includes(action.payload.user.id)) chat.userIds.push(action.payload.user.id)
      return
    }
    case 'user_removed_from_chat': {
      const chat = ensureChat(draft, action.payload.chatId)
      chat.userIds = chat.userIds.filter((id) => id !== action.payload.userId)
      delete chat.typing[action.payload.userId]
      return
    }
    case 'events_marked_as_seen': {
      const chat = ensureChat(draft, action.payload.chatId)
      const previous = chat.eventsSeenUpTo[action.payload.userId]
      if (!previous || previous < action.payload.seenUpTo) chat.eventsSeenUpTo[action.payload.userId] = action.payload.seenUpTo
      return
    }
    case 'incoming_typing_indicator': {
      const chat = ensureChat(draft, action.payload.chatId)
      if (action.payload.typingIndicator.isTyping) chat.typing[action.payload.typingIndicator.authorId] = true
      else delete chat.typing[action.payload.typingIndicator.authorId]
      return
    }
    case 'customer_updated':
      if (draft.customer && draft.customer.id === action.payload.id) {
        const { fields: _fields, ...changes } = action.payload
        Object.assign(draft.customer, changes)
      }
      return
    case 'availability_updated':
      draft.availability = action.payload.availability
      return
    case 'connected':
      draft.customer = action.payload.customer as Draft<Customer>
      draft.customerId = action.payload.customer.id
      draft.availability = action.payload.availability
      return
    case 'customer_id':
      draft.customerId = action.payload
      return
    case 'incoming_greeting':
      draft.greeting = action.payload as Draft<Greeting>
      return
    case 'greeting_accepted':
    case 'greeting_canceled':
      if (draft.greeting?.uniqueId === action.payload.uniqueId) draft.greeting = null
      return
    case 'chat_properties_updated': {
      const chat = ensureChat(draft, action.payload.chatId)
      for (const [ns, values] of Object.entries(action.payload.properties)) chat.properties[ns] = { ...chat.properties[ns], ...values }
      return
    }
    case 'thread_properties_updated': {
      const thread = draft.threads[action.payload.threadId]
      if (thread) for (const [ns, values] of Object.entries(action.payload.properties)) thread.properties[ns] = { ...thread.properties[ns], ...values }
      return
    }
    case 'event_properties_updated': {
      const event = draft.events[action.payload.eventId]
      if (event) for (const [ns, values] of Object.entries(action.payload.properties)) event.properties[ns] = { ...event.properties[ns], ...values }
      return
    }
    case 'chat_properties_deleted':
    case 'thread_properties_deleted':
    case 'event_properties_deleted': {
      const target =
        action.type === 'chat_properties_deleted'
          ? draft.chats[action.payload.chatId]
          : action.type === 'thread_properties_deleted'
            ? draft.threads[action.payload.threadId]
            : draft.events[action.payload.eventId]
      if (!target) return
      for (const [ns, names] of Object.entries(action.payload.properties)) {
        const bag = target.properties[ns]
        if (!bag) continue
        for (const name of names) delete bag[name]
      }
      return
    }
    case 'event_updated':
      if (action.payload.event) putEvent(draft, action.payload.chatId, action.payload.event)
      return
    case 'event_deleted': {
      delete draft.events[action.payload.eventId]
      const thread = draft.threads[action.payload.threadId]
      if (thread) thread.eventIds = thread.eventIds.filter((id) => id !== action.payload.eventId)
      return
    }
    case 'queue_position_updated': {
      const thread = draft.threads[action.payload.threadId]
      if (thread) thread.queue = { ...thread.queue, ...action.payload.queue }
      return
    }
    case 'chat_transferred': {
      const thread = action.payload.threadId ? draft.threads[action.payload.threadId] : undefined
      if (thread) thread.queue = action.payload.queue
      if (action.payload.transferredTo.groupIds) ensureChat(draft, action.payload.chatId).access = { groupIds: action.payload.transferredTo.groupIds }
      return
    }
    default:
      return
  }
}

/** Folds a batch of actions into the state with one `produce`. Pure and idempotent per action. */
export const chatReducer = (state: ChatState, actions: readonly ChatAction[]): ChatState =>
  actions.length === 0 ? state : produce(state, (draft) => {
    for (const action of actions) apply(draft, action)
  })
