import {
  type Chat,
  type ChatEvent,
  type ChatUser,
  type Customer,
  type CustomerEvent,
  type Endpoints,
  type FormResult,
  LIMITS,
  type ListChatsResult,
  type ListThreadsResult,
  type OutgoingEvent,
  type Properties,
  type PropertyNames,
  type ResumeChatParams,
  type StartChatParams,
  type SuccessResult,
  type UrlInfo,
  type WelcomeMessageResult,
  type CustomerActionMap,
  type WireIncomingEventPush,
  type WireOutgoingEvent,
  type WireSendEventResponse,
  buildStartChatPayload,
  isObject,
  parseChat,
  parseCustomer,
  parseEvent,
  parseForm,
  parseListChats,
  parseListThreads,
  parseUrlInfo,
  parseWelcomeMessage,
  requireStrings,
  serializeOutgoingEvent,
  serializeSessionFields,
  userDataEvents,
  validateOutgoingEvent,
} from '@rapport/protocol'
import type { CustomerAuth } from './auth/customerAuth'
import { ChatError } from './chatError'
import { type ChatHistory, createChatHistory } from './chatHistory'
import type { Env } from './env'
import type { ChatStore } from './state/chatStore'
import type { Outbox } from './outbox'
import type { ResultOf, RtmResult } from './transport/rtmClient'
import { type UploadHandle, type UploadInput, uploadFile } from './upload'

export type GroupStatus = 'online' | 'online_for_queue' | 'offline'

/** The documented methods of a Customer SDK instance (seed 003 "Methods"), minus connection control. */
export interface CustomerMethods {
  acceptGreeting(params: { greetingId: number; uniqueId: string }): Promise<SuccessResult>
  cancelGreeting(params: { uniqueId: string }): Promise<SuccessResult>
  cancelRate(params: { chatId: string; properties?: Array<'score' | 'comment'> }): Promise<SuccessResult>
  deactivateChat(params: { id: string }): Promise<SuccessResult>
  deleteChatProperties(params: { id: string; properties: PropertyNames }): Promise<SuccessResult>
  deleteEventProperties(params: { chatId: string; threadId: string; eventId: string; properties: PropertyNames }): Promise<SuccessResult>
  deleteThreadProperties(params: { chatId: string; threadId: string; properties: PropertyNames }): Promise<SuccessResult>
  getChat(params: { chatId: string; threadId?: string }): Promise<Chat>
  getChatHistory(params: { chatId: string }): ChatHistory
  getCustomer(): Promise<Customer>
  getForm(params: { groupId: number; type: 'prechat' | 'postchat' | 'ticket' }): Promise<FormResult>
  getUrlInfo(params: { url: string }): Promise<UrlInfo>
  listChats(params?: { pageId?: string; limit?: number }): Promise<ListChatsResult>
  listGroupStatuses(params?: { groupIds?: number[] }): Promise<Record<string, GroupStatus>>
  listThreads(params: { chatId: string; pageId?: string; sortOrder?: 'asc' | 'desc'; limit?: number; minEventsCount?: number }): Promise<ListThreadsResult>
  markEventsAsSeen(params: { chatId: string; seenUpTo: string }): Promise<SuccessResult>
  rateChat(params: { chatId: string; rating: { score: 0 | 1; comment?: string } }): Promise<SuccessResult>
  requestWelcomeMessage(params?: { id?: string }): Promise<WelcomeMessageResult>
  resumeChat(params: ResumeChatParams): Promise<{ chat: Chat }>
  sendEvent(params: { chatId: string; event: OutgoingEvent; attachToLastThread?: boolean }): Promise<ChatEvent>
  sendGreetingButtonClicked(params: { greetingUniqueId: string; buttonId: string }): Promise<SuccessResult>
  sendRichMessagePostback(params: { chatId: string; threadId: string; eventId: string; postback: { id: string; toggled?: boolean } }): Promise<SuccessResult>
  setCustomerSessionFields(params: { sessionFields: Record<string, string> }): Promise<SuccessResult>
  /** Fire and forget: sent only while connected and the chat is active; never rejects. */
  setSneakPeek(params: { chatId: string; sneakPeekText: string }): void
  startChat(params?: StartChatParams): Promise<{ chat: Chat }>
  updateChatProperties(params: { id: string; properties: Properties }): Promise<SuccessResult>
  updateCustomer(params: { name?: string; email?: string; avatar?: string; sessionFields?: Record<string, string> }): Promise<SuccessResult>
  /** Remembers the page (sent at every login) and tells the server now if connected; never rejects. */
  updateCustomerPage(page: { url?: string; title?: string }): void
  updateEventProperties(params: { chatId: string; threadId: string; eventId: string; properties: Properties }): Promise<SuccessResult>
  updateThreadProperties(params: { chatId: string; threadId: string; properties: Properties }): Promise<SuccessResult>
  uploadFile(params: { file: UploadInput; name?: string; onProgress?: (progress: number) => void }): UploadHandle
  /** Sends any customer action, typed by the protocol's action map; resolves with the answer's wire payload. */
  request<A extends keyof CustomerActionMap>(action: A, payload: CustomerActionMap[A]['request']): Promise<ResultOf<CustomerActionMap, A>['payload']>
}

export type Send = <A extends keyof CustomerActionMap>(action: A, payload: CustomerActionMap[A]['request']) => Promise<ResultOf<CustomerActionMap, A>>

export interface MethodContext {
  env: Env
  auth: CustomerAuth
  store: ChatStore
  organizationId: string
  endpoints: () => Endpoints
  /** Sends a request once connected, or rejects with NO_CONNECTION / SDK_DESTROYED. */
  send: Send
  isConnected(): boolean
  /** Folds events into the state and emits those that are news. */
  publish(events: CustomerEvent[]): void
  page: { current?: { url?: string; title?: string } }
  /** Where `sendEvent` puts events: they leave in order, once, when the client can send. */
  outbox: Outbox
  /** A fresh custom id for an event that has none (the key that makes resends safe). */
  newCustomId(): string
}

const OK: SuccessResult = /* @__PURE__ */ Object.freeze({ success: true })

const check = (message: string | null): void => {
  if (message !== null) throw new ChatError('VALIDATION', message)
}

const checkProperties = (properties: unknown, deletion: boolean): void => {
  if (!isObject(properties)) throw new ChatError('VALIDATION', '`properties` must be an object')
  for (const [ns, value] of Object.entries(properties)) {
    const ok = deletion ? Array.isArray(value) && value.every((n) => typeof n === 'string') : isObject(value)
    if (!ok) throw new ChatError('VALIDATION', `\`properties.${ns}\` must be ${deletion ? 'an array of names' : 'an object'}`)
  }
}

const checkSessionFields = (fields: unknown): void => {
  if (!isObject(fields) || !Object.values(fields).every((v) => typeof v === 'string'))
    throw new ChatError('VALIDATION', '`sessionFields` must be an object of string values')
  if (Object.keys(fields).length > LIMITS.sessionFieldsMax)
    throw new ChatError('CUSTOMER_SESSION_FIELDS_LIMIT_REACHED', `At most ${LIMITS.sessionFieldsMax} session fields`)
}

export const createCustomerMethods = (ctx: MethodContext): CustomerMethods => {
  const { send, store } = ctx
  const ok = async <A extends keyof CustomerActionMap>(action: A, payload: CustomerActionMap[A]['request']): Promise<SuccessResult> => {
    await send(action, payload)
    return OK
  }
  const withUsers = <T extends { users: ChatUser[] }>(value: T): T => {
    ctx.publish(userDataEvents(value.users))
    return value
  }
  const newestThreadId = async (chatId: string): Promise<string> => {
    const { threads } = await methods.listThreads({ chatId })
    const newest = threads[0]
    if (!newest) throw new ChatError('MISSING_CHAT_THREAD', 'The chat has no threads')
    return newest.id
  }
  const chatFrom = async (result: ResultOf<CustomerActionMap, 'start_chat' | 'resume_chat'>, chatId: string): Promise<{ chat: Chat }> => {
    if (result.via === 'push') {
      const chat = withUsers(parseChat(result.payload.chat))
      store.dispatch({ type: 'chat/fetched', chat })
      return { chat }
    }
    return { chat: await methods.getChat({ chatId }) }
  }

  /** The six property methods: their ids must be strings, their properties of the right shape. */
  const checkScoped = (params: object, ids: ReadonlyArray<'id' | 'chatId' | 'threadId' | 'eventId'>, properties: unknown, deletion: boolean): void => {
    check(requireStrings(params, ...ids))
    checkProperties(properties, deletion)
  }

  const methods: CustomerMethods = {
    updateChatProperties: async (p) => {
      checkScoped(p, ['id'], p?.properties, false)
      return ok('update_chat_properties', { id: p.id, properties: p.properties })
    },
    deleteChatProperties: async (p) => {
      checkScoped(p, ['id'], p?.properties, true)
      return ok('delete_chat_properties', { id: p.id, properties: p.properties })
    },
    updateThreadProperties: async (p) => {
      checkScoped(p, ['chatId', 'threadId'], p?.properties, false)
      return ok('update_thread_properties', { chat_id: p.chatId, thread_id: p.threadId, properties: p.properties })
    },
    deleteThreadProperties: async (p) => {
      checkScoped(p, ['chatId', 'threadId'], p?.properties, true)
      return ok('delete_thread_properties', { chat_id: p.chatId, thread_id: p.threadId, properties: p.properties })
    },
    updateEventProperties: async (p) => {
      checkScoped(p, ['chatId', 'threadId', 'eventId'], p?.properties, false)
      return ok('update_event_properties', { chat_id: p.chatId, thread_id: p.threadId, event_id: p.eventId, properties: p.properties })
    },
    deleteEventProperties: async (p) => {
      checkScoped(p, ['chatId', 'threadId', 'eventId'], p?.properties, true)
      return ok('delete_event_properties', { chat_id: p.chatId, thread_id: p.threadId, event_id: p.eventId, properties: p.properties })
    },
    acceptGreeting: async (params) => {
      check(requireStrings(params, 'uniqueId'))
      if (typeof params.greetingId !== 'number') throw new ChatError('VALIDATION', '`greetingId` must be a number')
      return ok('accept_greeting', { greeting_id: params.greetingId, unique_id: params.uniqueId })
    },
    cancelGreeting: async (params) => {
      check(requireStrings(params, 'uniqueId'))
      return ok('cancel_greeting', { unique_id: params.uniqueId })
    },
    cancelRate: async (params) => {
      check(requireStrings(params, 'chatId'))
      const threadId = await newestThreadId(params.chatId)
      return ok('delete_thread_properties', { chat_id: params.chatId, thread_id: threadId, properties: { rating: params.properties ?? ['score'] } })
    },
    deactivateChat: async (params) => {
      check(requireStrings(params, 'id'))
      return ok('deactivate_chat', { id: params.id })
    },
    getChat: async (params) => {
      check(requireStrings(params, 'chatId'))
      const result = await send('get_chat', { chat_id: params.chatId, ...(params.threadId !== undefined && { thread_id: params.threadId }) })
      const chat = withUsers(parseChat(result.payload))
      store.dispatch({ type: 'chat/fetched', chat })
      return chat
    },
    getChatHistory: (params) => {
      check(requireStrings(params, 'chatId'))
      return createChatHistory((page) => methods.listThreads({ chatId: params.chatId, ...page }))
    },
    getCustomer: async () => parseCustomer((await send('get_customer', {})).payload),
    getForm: async (params) => {
      if (typeof params?.groupId !== 'number') throw new ChatError('VALIDATION', '`groupId` must be a number')
      if (!['prechat', 'postchat', 'ticket'].includes(params.type)) throw new ChatError('VALIDATION', "`type` must be 'prechat', 'postchat' or 'ticket'")
      return parseForm((await send('get_form', { group_id: params.groupId, type: params.type })).payload)
    },
    getUrlInfo: async (params) => {
      check(requireStrings(params, 'url'))
      return parseUrlInfo((await send('get_url_info', { url: params.url })).payload)
    },
    listChats: async (params = {}) => {
      if (params.limit !== undefined && (!Number.isInteger(params.limit) || params.limit < 1 || params.limit > LIMITS.listChatsMaxLimit))
        throw new ChatError('VALIDATION', `\`limit\` must be an integer from 1 to ${LIMITS.listChatsMaxLimit}`)
      const result = await send('list_chats', params.pageId !== undefined ? { page_id: params.pageId } : { limit: params.limit ?? LIMITS.listChatsDefaultLimit })
      const parsed = withUsers(parseListChats(result.payload))
      store.dispatch({ type: 'chats/listed', result: parsed })
      return parsed
    },
    listGroupStatuses: async (params = {}) => {
      const ids = params.groupIds
      if (ids !== undefined && (!Array.isArray(ids) || !ids.every(Number.isInteger))) throw new ChatError('VALIDATION', '`groupIds` must be an array of integers')
      const result = await send('list_group_statuses', ids && ids.length > 0 ? { group_ids: ids } : { all: true })
      return { ...result.payload.groups_status }
    },
    listThreads: async (params) => {
      check(requireStrings(params, 'chatId'))
      if (params.limit !== undefined && params.minEventsCount !== undefined)
        throw new ChatError('VALIDATION', '`limit` and `minEventsCount` cannot be used together')
      const payload =
        params.pageId !== undefined
          ? { chat_id: params.chatId, page_id: params.pageId }
          : {
              chat_id: params.chatId,
              ...(params.sortOrder !== undefined && { sort_order: params.sortOrder }),
              ...(params.limit !== undefined && { limit: params.limit }),
              ...(params.minEventsCount !== undefined && { min_events_count: params.minEventsCount }),
            }
      const parsed = parseListThreads((await send('list_threads', payload)).payload, params.chatId)
      store.dispatch({ type: 'threads/fetched', chatId: params.chatId, threads: parsed.threads })
      return parsed
    },
    markEventsAsSeen: async (params) => {
      check(requireStrings(params, 'chatId', 'seenUpTo'))
      return ok('mark_events_as_seen', { chat_id: params.chatId, seen_up_to: params.seenUpTo })
    },
    rateChat: async (params) => {
      check(requireStrings(params, 'chatId'))
      const rating = params.rating
      if (!isObject(rating) || (rating.score !== 0 && rating.score !== 1)) throw new ChatError('VALIDATION', '`rating.score` must be 0 or 1')
      if (rating.comment !== undefined && typeof rating.comment !== 'string') throw new ChatError('VALIDATION', '`rating.comment` must be a string')
      const threadId = await newestThreadId(params.chatId)
      return ok('update_thread_properties', {
        chat_id: params.chatId,
        thread_id: threadId,
        properties: { rating: { score: rating.score, ...(rating.comment !== undefined && { comment: rating.comment }) } },
      })
    },
    requestWelcomeMessage: async (params = {}) =>
      parseWelcomeMessage((await send('request_welcome_message', params.id !== undefined ? { id: params.id } : {})).payload),
    resumeChat: async (params) => {
      check(requireStrings(params?.chat, 'id'))
      for (const event of params.chat.thread?.events ?? []) check(validateOutgoingEvent(event))
      return chatFrom(await send('resume_chat', buildStartChatPayload(params)), params.chat.id)
    },
    // not async: the outbox's promise is the answer (an async wrapper would add hops to every send)
    sendEvent: (params) => {
      const invalid = requireStrings(params, 'chatId') ?? validateOutgoingEvent(params.event)
      if (invalid !== null) return Promise.reject(new ChatError('VALIDATION', invalid))
      const event = { ...params.event, customId: params.event.customId ?? ctx.newCustomId() }
      return ctx.outbox.enqueue(params.chatId, event, params.attachToLastThread)
    },
    sendGreetingButtonClicked: async (params) => {
      check(requireStrings(params, 'greetingUniqueId', 'buttonId'))
      return ok('send_greeting_button_clicked', { greeting_unique_id: params.greetingUniqueId, button_id: params.buttonId })
    },
    sendRichMessagePostback: async (params) => {
      check(requireStrings(params, 'chatId', 'threadId', 'eventId'))
      check(requireStrings(params.postback, 'id'))
      return ok('send_rich_message_postback', {
        chat_id: params.chatId,
        thread_id: params.threadId,
        event_id: params.eventId,
        postback: { ...params.postback, toggled: params.postback.toggled ?? true },
      })
    },
    setCustomerSessionFields: async (params) => {
      checkSessionFields(params?.sessionFields)
      return ok('set_customer_session_fields', { session_fields: serializeSessionFields(params.sessionFields) })
    },
    setSneakPeek: (params) => {
      if (requireStrings(params, 'chatId') !== null || typeof params.sneakPeekText !== 'string') return
      if (!ctx.isConnected() || store.getSnapshot().chats[params.chatId]?.active !== true) return
      void send('send_sneak_peek', { chat_id: params.chatId, sneak_peek_text: params.sneakPeekText }).catch(() => {})
    },
    startChat: async (params = {}) => {
      for (const event of params.chat?.thread?.events ?? []) check(validateOutgoingEvent(event))
      const result = await send('start_chat', buildStartChatPayload(params))
      return chatFrom(result, result.via === 'push' ? result.payload.chat.id : result.payload.chat_id)
    },
    updateCustomer: async (params) => {
      if (!isObject(params)) throw new ChatError('VALIDATION', 'parameters must be an object')
      for (const key of ['name', 'email', 'avatar'] as const)
        if (params[key] !== undefined && typeof params[key] !== 'string') throw new ChatError('VALIDATION', `\`${key}\` must be a string`)
      if (params.sessionFields !== undefined) checkSessionFields(params.sessionFields)
      const payload = {
        ...(params.name !== undefined && { name: params.name }),
        ...(params.email !== undefined && { email: params.email }),
        ...(params.avatar !== undefined && { avatar: params.avatar }),
        ...(params.sessionFields !== undefined && { session_fields: serializeSessionFields(params.sessionFields) }),
      }
      if (Object.keys(payload).length === 0) throw new ChatError('VALIDATION', 'Give at least one of name, email, avatar, sessionFields')
      return ok('update_customer', payload)
    },
    updateCustomerPage: (page) => {
      if (!isObject(page)) return
      ctx.page.current = { ...ctx.page.current, ...page }
      const { url, title } = ctx.page.current
      if (!ctx.isConnected() || typeof url !== 'string') return
      void send('update_customer_page', { url, ...(title !== undefined && { title }) }).catch(() => {})
    },
    uploadFile: (params) => {
      // the upload shows in the state (`pendingUploads`) until it is done; a failed one stays, marked
      const id = `upload:${ctx.newCustomId()}`
      const name = params?.name ?? (isObject(params?.file) && typeof params.file.name === 'string' ? params.file.name : 'file')
      store.dispatch({ type: 'upload/progress', id, name, progress: 0 })
      const handle = uploadFile(
        ctx.env,
        {
          endpoints: ctx.endpoints(),
          organizationId: ctx.organizationId,
          getAuthorization: async () => {
            const token = await ctx.auth.getToken()
            return `${token.tokenType} ${token.accessToken}`
          },
        },
        {
          ...params,
          onProgress: (progress) => {
            store.dispatch({ type: 'upload/progress', id, name, progress })
            params?.onProgress?.(progress)
          },
        },
      )
      handle.promise.then(
        () => store.dispatch({ type: 'upload/finished', id }),
        (error: unknown) =>
          store.dispatch(
            error instanceof ChatError && error.code !== 'UPLOAD_CANCELED' ? { type: 'upload/finished', id, error: error.code } : { type: 'upload/finished', id },
          ),
      )
      return handle
    },
    request: async (action, payload) => (await send(action, payload)).payload,
  }
  return methods
}

/** Sends one outbox entry: the `send_event` request, answered by its push (or read back). Both sides use it. */
export const transmitEvent = async (
  sendEvent: (payload: { chat_id: string; event: WireOutgoingEvent; attach_to_last_thread?: boolean }) => Promise<RtmResult<WireSendEventResponse, WireIncomingEventPush>>,
  getChat: CustomerMethods['getChat'],
  entry: { chatId: string; event: OutgoingEvent; attachToLastThread?: boolean },
): Promise<ChatEvent> => {
  const result = await sendEvent({
    chat_id: entry.chatId,
    event: serializeOutgoingEvent(entry.event),
    ...(entry.attachToLastThread && { attach_to_last_thread: true }),
  })
  if (result.via === 'push') {
    const event = parseEvent(result.payload.event, result.payload.thread_id)
    if (!event) throw new ChatError('INTERNAL', 'The server answered with an event of an unknown type')
    return event
  }
  // a server that does not tag the push: read the stored event back
  const eventId = result.payload.event_id
  const chat = await getChat({ chatId: entry.chatId })
  const event = chat.thread?.events.find((e) => e.id === eventId)
  if (!event) throw new ChatError('INTERNAL', 'The sent event could not be read back')
  return event
}
