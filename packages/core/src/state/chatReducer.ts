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
import { type Draft, Immer, castDraft, isDraft, original } from 'immer'
import { type IdOrder, type IdTable, type Owned, PAGE, TableWriter, emptyTable, orderInsert, orderRemove, sealBatch, tableGet, upperBound } from './collections'

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
  /** Ordered by `createdAt`, each id once (pages: read with `orderToArray` or the selectors). */
  eventIds: IdOrder
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

/**
 * The chat state, normalized. Records keyed by id have no prototype (any id is safe);
 * `events` is an `IdTable` (read with `tableGet` or the selectors). The connection's
 * status is not here: `client.connection` is its one source.
 */
export interface ChatState {
  customerId: string | null
  customer: Customer | null
  availability: Availability
  greeting: Greeting | null
  users: Record<string, ChatUser>
  chats: Record<string, ChatEntity>
  threads: Record<string, ThreadEntity>
  events: IdTable<EventEntity>
  /** Files being uploaded (or whose upload failed), by upload id. */
  uploads: Record<string, UploadEntity>
}

export interface UploadEntity {
  id: string
  name: string
  /** From 0 to 1. */
  progress: number
  status: 'uploading' | 'failed'
  error?: ErrorCode
}

/** A record with no prototype: any id is an own key, never `Object.prototype`'s. */
export const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>

export const createInitialChatState = (): ChatState => ({
  customerId: null,
  customer: null,
  availability: 'offline',
  greeting: null,
  users: emptyRecord(),
  chats: emptyRecord(),
  threads: emptyRecord(),
  events: emptyTable(),
  uploads: emptyRecord(),
})

export const initialChatState: ChatState = /* @__PURE__ */ createInitialChatState()

/** The event with this id, if the state holds it. */
export const getEvent = (state: Pick<ChatState, 'events'>, id: string): EventEntity | undefined => tableGet(state.events, id)

/** Everything the reducer folds: SDK events plus results of calls and local changes. */
export type ChatAction =
  | CustomerEvent
  | { type: 'login/succeeded'; connected: ConnectedPayload; chats: LoginChat[] }
  | { type: 'chat/fetched'; chat: Chat }
  | { type: 'chats/listed'; result: ListChatsResult }
  | { type: 'threads/fetched'; chatId: string; threads: Thread[] }
  | { type: 'event/pending'; chatId: string; event: EventEntity }
  | { type: 'event/sent'; chatId: string; event: ChatEvent; localId?: string }
  | { type: 'event/failed'; localId: string; error: ErrorCode }
  | { type: 'identity/reset'; customerId: string }
  | { type: 'upload/progress'; id: string; name: string; progress: number }
  | { type: 'upload/finished'; id: string; error?: ErrorCode }

const ensureChat = (draft: Draft<ChatState>, id: string): Draft<ChatEntity> => {
  let chat = draft.chats[id]
  if (!chat) {
    chat = { id, active: false, access: {}, properties: emptyRecord(), userIds: [], threadIds: [], eventsSeenUpTo: emptyRecord(), pendingEventIds: [], typing: emptyRecord(), hasUnreadEvents: false }
    draft.chats[id] = chat
  }
  return chat
}

const addUser = (draft: Draft<ChatState>, user: ChatUser): void => {
  draft.users[user.id] = castDraft(user)
}

/**
 * Inserts an id keeping the list ordered by `key`. New data nearly always belongs at the
 * end, so that is checked first; otherwise a binary search finds the place. The caller
 * makes sure the id is not in the list yet.
 */
const insertOrdered = (ids: string[], id: string, key: (id: string) => string): void => {
  const k = key(id)
  const last = ids[ids.length - 1]
  if (last === undefined || key(last) <= k) ids.push(id)
  else ids.splice(upperBound(ids, k, key), 0, id)
}

/**
 * The two big collections live outside immer's drafts during a batch: the events table
 * and the thread orders are written as transients (each touched node copied once per
 * batch) and handed to the draft at the end. Reading them never goes through a proxy.
 */
interface Batch {
  owned: Owned
  events: TableWriter<EventEntity>
  /** Thread orders written in this batch, by thread id. */
  orders: Map<string, IdOrder>
  /**
   * Chats' pending lists written in this batch, by chat id: read and replaced whole,
   * never through a draft proxy (each send writes one twice: pending, then sent).
   */
  pending: Map<string, readonly string[]>
  /** Threads known to exist in this batch (saves a draft lookup per event). */
  threads: Set<string>
  /**
   * Per thread whose order ends in a page this batch owns: that page and its last key. An
   * event that sorts last is pushed onto it directly (the hot path: pushes arrive in
   * order). Any other write to the thread's order drops the entry.
   */
  tails: Map<string, { page: string[]; key: string }>
  /** An event's sort key (its creation time), as of now in the batch. */
  createdAt(id: string): string
}

const getBatchEvent = (batch: Batch, id: string): EventEntity | undefined => batch.events.get(id)
const setBatchEvent = (batch: Batch, event: EventEntity): void => batch.events.set(event.id, Object.freeze(event))
const deleteBatchEvent = (batch: Batch, id: string): void => batch.events.delete(id)

/** A thread's order as of now in the batch (read from the committed thread, never through a proxy). */
const orderOf = (batch: Batch, draft: Draft<ChatState>, threadId: string): IdOrder => {
  const written = batch.orders.get(threadId)
  if (written) return written
  const thread = draft.threads[threadId]
  if (!thread) return []
  const base = isDraft(thread) ? original(thread) : thread
  return base?.eventIds ?? []
}

/** A chat's pending list as of now in the batch (read from the committed chat, never through a proxy). */
const pendingOf = (batch: Batch, draft: Draft<ChatState>, chatId: string): readonly string[] => {
  const written = batch.pending.get(chatId)
  if (written) return written
  const chat = draft.chats[chatId]
  if (!chat) return []
  const base = isDraft(chat) ? original(chat) : chat
  return base?.pendingEventIds ?? []
}

/** Records a thread's new order; its tail, if any, is no longer known. */
const writeOrder = (batch: Batch, threadId: string, order: IdOrder): void => {
  batch.orders.set(threadId, order)
  batch.tails.delete(threadId)
}

/** Puts an event where it belongs; returns whether the state did not hold it as sent before. */
const putEvent = (draft: Draft<ChatState>, batch: Batch, chatId: string, event: ChatEvent, status: EventStatus = 'sent'): boolean => {
  const threadId = event.threadId
  // known ids are O(1) through the events table: a repeated push only refreshes the entity.
  // Object.assign, not a spread: V8 copies this way an order of magnitude faster (hot path)
  const known = batch.events.put(event.id, Object.freeze(Object.assign({ status }, event)))
  const listed = known !== undefined && known.threadId === threadId
  const news = known?.status !== 'sent'
  if (!threadId) return news
  if (listed) {
    // its key may have moved: the thread's tail no longer says what sorts last
    if (known.createdAt !== event.createdAt) batch.tails.delete(threadId)
    return news
  }
  const tail = known === undefined ? batch.tails.get(threadId) : undefined
  if (tail !== undefined && tail.key <= event.createdAt && tail.page.length < PAGE) {
    tail.page.push(event.id)
    tail.key = event.createdAt
    return news
  }
  if (!batch.threads.has(threadId) && !draft.threads[threadId]) {
    const chat = ensureChat(draft, chatId)
    draft.threads[threadId] = {
      id: threadId,
      chatId,
      active: true,
      access: {},
      createdAt: event.createdAt,
      userIds: [],
      properties: emptyRecord(),
      previousThreadId: null,
      nextThreadId: null,
      queue: null,
      eventIds: [],
    }
    insertOrdered(chat.threadIds, threadId, (id) => draft.threads[id]?.createdAt ?? '')
  }
  batch.threads.add(threadId)
  if (known?.threadId) {
    // the event moved (e.g. a local copy filed under another thread): unlist it there
    writeOrder(batch, known.threadId, orderRemove(batch.owned, orderOf(batch, draft, known.threadId), event.id))
  }
  const order = orderInsert(batch.owned, orderOf(batch, draft, threadId), event.id, batch.createdAt, event.createdAt)
  writeOrder(batch, threadId, order)
  // appended: the last book and page are the batch's own now (orderInsert's append path)
  const lastBook = order[order.length - 1]
  const lastPage = lastBook?.[lastBook.length - 1]
  if (lastPage !== undefined && lastPage[lastPage.length - 1] === event.id) batch.tails.set(threadId, { page: lastPage as string[], key: event.createdAt })
  return news
}

const putThread = (draft: Draft<ChatState>, batch: Batch, thread: Thread): void => {
  const chat = ensureChat(draft, thread.chatId)
  const known = draft.threads[thread.id] !== undefined
  draft.threads[thread.id] = castDraft({
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
    eventIds: orderOf(batch, draft, thread.id),
  } satisfies ThreadEntity)
  if (!known) insertOrdered(chat.threadIds, thread.id, (id) => draft.threads[id]?.createdAt ?? '')
  for (const event of thread.events) putEvent(draft, batch, thread.chatId, event)
}

const putChat = (draft: Draft<ChatState>, batch: Batch, chat: Chat): void => {
  const entity = ensureChat(draft, chat.id)
  entity.access = chat.access
  entity.properties = chat.properties
  entity.userIds = chat.users.map((u) => u.id)
  entity.eventsSeenUpTo = chat.eventsSeenUpToMap
  for (const user of chat.users) addUser(draft, user)
  if (chat.thread) {
    putThread(draft, batch, chat.thread)
    const last = entity.threadIds[entity.threadIds.length - 1]
    entity.active = last === chat.thread.id ? chat.thread.active : entity.active
  }
}

const mergeProperties = (target: Properties, changes: Properties): void => {
  for (const [ns, values] of Object.entries(changes)) target[ns] = { ...target[ns], ...values }
}

const deleteProperties = (target: Properties, names: Record<string, string[]>): void => {
  for (const [ns, list] of Object.entries(names)) {
    const bag = Object.hasOwn(target, ns) ? target[ns] : undefined
    if (!bag) continue
    for (const name of list) if (Object.hasOwn(bag, name)) delete bag[name]
  }
}

/**
 * Folds one action. Returns false when the action is a repeat of what the state already
 * holds (an event already held as sent, a thread already known), so its SDK event is
 * not emitted again; true otherwise.
 */
const apply = (draft: Draft<ChatState>, batch: Batch, action: ChatAction): boolean => {
  switch (action.type) {
    case 'login/succeeded':
      draft.customer = castDraft(action.connected.customer)
      draft.customerId = action.connected.customer.id
      draft.availability = action.connected.availability
      if (action.connected.greeting) draft.greeting = castDraft(action.connected.greeting)
      for (const chat of action.chats) {
        const entity = ensureChat(draft, chat.id)
        entity.active = chat.active
        entity.hasUnreadEvents = chat.hasUnreadEvents
      }
      return true
    case 'identity/reset':
      Object.assign(draft, createInitialChatState(), { customerId: action.customerId })
      batch.events.reset(emptyTable())
      batch.orders.clear()
      batch.tails.clear()
      batch.pending.clear()
      batch.threads.clear()
      return true
    case 'chat/fetched':
      putChat(draft, batch, action.chat)
      return true
    case 'incoming_chat': {
      const chat = action.payload.chat
      const news = chat.thread === null || draft.threads[chat.thread.id] === undefined
      putChat(draft, batch, chat)
      if (chat.thread) ensureChat(draft, chat.id).active = chat.thread.active
      return news
    }
    case 'chats/listed':
      for (const summary of action.result.chatsSummary) {
        const entity = ensureChat(draft, summary.id)
        entity.active = summary.active
        entity.access = summary.access
        entity.properties = castDraft(summary.properties)
        entity.userIds = summary.users.map((u) => u.id)
        entity.eventsSeenUpTo = summary.eventsSeenUpToMap
        for (const user of summary.users) addUser(draft, user)
        if (summary.lastEvent) putEvent(draft, batch, summary.id, summary.lastEvent)
      }
      return true
    case 'threads/fetched':
      for (const thread of action.threads) putThread(draft, batch, thread)
      return true
    case 'incoming_event':
      return putEvent(draft, batch, action.payload.chatId, action.payload.event)
    case 'event/pending': {
      setBatchEvent(batch, action.event)
      ensureChat(draft, action.chatId)
      const pending = pendingOf(batch, draft, action.chatId)
      if (!pending.includes(action.event.id)) batch.pending.set(action.chatId, [...pending, action.event.id])
      return true
    }
    case 'event/sent':
      if (action.localId && action.localId !== action.event.id) {
        deleteBatchEvent(batch, action.localId)
        const pending = pendingOf(batch, draft, action.chatId)
        if (pending.includes(action.localId))
          batch.pending.set(
            action.chatId,
            pending.filter((id) => id !== action.localId),
          )
      }
      putEvent(draft, batch, action.chatId, action.event)
      return true
    case 'event/failed': {
      const event = getBatchEvent(batch, action.localId)
      if (event) setBatchEvent(batch, { ...event, status: 'failed', error: action.error })
      return true
    }
    case 'chat_deactivated': {
      const chat = ensureChat(draft, action.payload.chatId)
      chat.active = false
      for (const id of chat.threadIds) {
        const thread = draft.threads[id]
        if (thread) thread.active = false
      }
      chat.typing = emptyRecord()
      return true
    }
    case 'user_data': {
      const known = draft.users[action.payload.id]
      addUser(draft, { ...known, ...action.payload } as ChatUser)
      return true
    }
    case 'user_added_to_chat': {
      addUser(draft, action.payload.user)
      const chat = ensureChat(draft, action.payload.chatId)
      if (!chat.userIds.includes(action.payload.user.id)) chat.userIds.push(action.payload.user.id)
      return true
    }
    case 'user_removed_from_chat': {
      const chat = ensureChat(draft, action.payload.chatId)
      chat.userIds = chat.userIds.filter((id) => id !== action.payload.userId)
      delete chat.typing[action.payload.userId]
      return true
    }
    case 'events_marked_as_seen': {
      const chat = ensureChat(draft, action.payload.chatId)
      const previous = chat.eventsSeenUpTo[action.payload.userId]
      if (!previous || previous < action.payload.seenUpTo) chat.eventsSeenUpTo[action.payload.userId] = action.payload.seenUpTo
      return true
    }
    case 'incoming_typing_indicator': {
      const chat = ensureChat(draft, action.payload.chatId)
      if (action.payload.typingIndicator.isTyping) chat.typing[action.payload.typingIndicator.authorId] = true
      else delete chat.typing[action.payload.typingIndicator.authorId]
      return true
    }
    case 'customer_updated':
      if (draft.customer && draft.customer.id === action.payload.id) {
        const { fields: _fields, ...changes } = action.payload
        Object.assign(draft.customer, changes)
      }
      return true
    case 'availability_updated':
      draft.availability = action.payload.availability
      return true
    case 'connected':
      draft.customer = castDraft(action.payload.customer)
      draft.customerId = action.payload.customer.id
      draft.availability = action.payload.availability
      return true
    case 'customer_id':
      draft.customerId = action.payload
      return true
    case 'incoming_greeting':
      draft.greeting = castDraft(action.payload)
      return true
    case 'greeting_accepted':
    case 'greeting_canceled':
      if (draft.greeting?.uniqueId === action.payload.uniqueId) draft.greeting = null
      return true
    case 'chat_properties_updated':
      mergeProperties(ensureChat(draft, action.payload.chatId).properties, action.payload.properties)
      return true
    case 'thread_properties_updated': {
      const thread = draft.threads[action.payload.threadId]
      if (thread) mergeProperties(thread.properties, action.payload.properties)
      return true
    }
    case 'event_properties_updated': {
      const event = getBatchEvent(batch, action.payload.eventId)
      if (event) {
        const properties = { ...event.properties }
        mergeProperties(properties, action.payload.properties)
        setBatchEvent(batch, { ...event, properties })
      }
      return true
    }
    case 'chat_properties_deleted': {
      const chat = draft.chats[action.payload.chatId]
      if (chat) deleteProperties(chat.properties, action.payload.properties)
      return true
    }
    case 'thread_properties_deleted': {
      const thread = draft.threads[action.payload.threadId]
      if (thread) deleteProperties(thread.properties, action.payload.properties)
      return true
    }
    case 'event_properties_deleted': {
      const event = getBatchEvent(batch, action.payload.eventId)
      if (event) {
        const properties = { ...event.properties }
        for (const ns of Object.keys(action.payload.properties)) if (Object.hasOwn(properties, ns)) properties[ns] = { ...properties[ns] }
        deleteProperties(properties, action.payload.properties)
        setBatchEvent(batch, { ...event, properties })
      }
      return true
    }
    case 'event_updated':
      if (action.payload.event) putEvent(draft, batch, action.payload.chatId, action.payload.event)
      return true
    case 'event_deleted': {
      deleteBatchEvent(batch, action.payload.eventId)
      if (draft.threads[action.payload.threadId])
        writeOrder(batch, action.payload.threadId, orderRemove(batch.owned, orderOf(batch, draft, action.payload.threadId), action.payload.eventId))
      return true
    }
    case 'queue_position_updated': {
      const thread = draft.threads[action.payload.threadId]
      if (thread) thread.queue = { ...thread.queue, ...action.payload.queue }
      return true
    }
    case 'chat_transferred': {
      const thread = action.payload.threadId ? draft.threads[action.payload.threadId] : undefined
      if (thread) thread.queue = action.payload.queue
      if (action.payload.transferredTo.groupIds) ensureChat(draft, action.payload.chatId).access = { groupIds: action.payload.transferredTo.groupIds }
      return true
    }
    case 'upload/progress':
      draft.uploads[action.id] = { id: action.id, name: action.name, progress: action.progress, status: 'uploading' }
      return true
    case 'upload/finished': {
      const upload = draft.uploads[action.id]
      if (!upload) return true
      if (action.error === undefined) delete draft.uploads[action.id]
      else {
        upload.status = 'failed'
        upload.error = action.error
      }
      return true
    }
    default:
      return true
  }
}

/**
 * The engine's own immer: structural sharing without deep-freezing every new object
 * (freezing cost more than the rest of a commit). Snapshots are immutable by contract
 * (`Readonly` types; nothing in the engine mutates a committed state); the global immer
 * an application may use is left as it is.
 */
const immer = /* @__PURE__ */ new Immer({ autoFreeze: false })

/**
 * Folds a batch of actions with one `produce`. `onRepeat(i)` is called for each action
 * that repeats what the state held (its SDK event must not be emitted again). Pure:
 * the same batch on the same state gives the same state.
 */
export const reduceBatch = (state: ChatState, actions: readonly ChatAction[], onRepeat?: (index: number) => void): ChatState =>
  actions.length === 0
    ? state
    : immer.produce(state, (draft) => {
        const batch: Batch = {
          owned: new Set(),
          events: new TableWriter(state.events),
          orders: new Map(),
          pending: new Map(),
          threads: new Set(),
          tails: new Map(),
          createdAt: (id) => getBatchEvent(batch, id)?.createdAt ?? '',
        }
        for (let i = 0; i < actions.length; i++) if (!apply(draft, batch, actions[i] as ChatAction) && onRepeat) onRepeat(i)
        const events = batch.events.done()
        if (events !== state.events) draft.events = events
        for (const [threadId, order] of batch.orders) {
          const thread = draft.threads[threadId]
          if (thread) thread.eventIds = castDraft(order)
        }
        for (const [chatId, pending] of batch.pending) {
          const chat = draft.chats[chatId]
          if (chat) chat.pendingEventIds = castDraft(pending as string[])
        }
        // frozen, the new nodes also tell immer there is nothing to finalize inside them
        sealBatch(batch.owned)
      })

/** Folds a batch of actions into the state with one `produce`. Pure and idempotent per action. */
export const chatReducer = (state: ChatState, actions: readonly ChatAction[]): ChatState => reduceBatch(state, actions)
