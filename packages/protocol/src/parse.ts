/**
 * Wire (snake_case) → SDK (camelCase) parsers, following sdk-mapping §6. Parsers are
 * total over the wire types: an event of a type the SDK does not expose yields `null`.
 */
import type * as S from './sdk'
import type * as W from './wire'
import { renameGroupChooserKey as mapGroupChooser } from './forms'
import { isObject } from './frames'
import { mapRecord, nullRecord, recordFrom } from './records'

const stringOr = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback)

/**
 * `[{name: value}]` → `{name: value}`, the first key of each entry, order kept. Keys are
 * customer data: the record has no prototype, so `__proto__` is a field like any other.
 * A value that is not text is dropped (numbers and booleans are written as text).
 */
export const parseSessionFields = (fields: W.WireSessionFields | undefined): S.SessionFields => {
  const record = nullRecord<string>()
  if (!Array.isArray(fields)) return record
  for (const entry of fields as unknown[]) {
    if (!isObject(entry)) continue
    const key = Object.keys(entry)[0]
    if (key === undefined) continue
    const value = entry[key]
    if (typeof value === 'string') record[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') record[key] = String(value)
  }
  return record
}

/** `{namespace: {name: value}}`, copied into prototype-free records (values are kept as they are). */
/** No properties: one shared, frozen, prototype-free record (most events carry none). */
const NO_PROPERTIES: S.Properties = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ nullRecord<S.Properties[string]>())

export const parseProperties = (properties: W.Properties | undefined): S.Properties => {
  if (properties === undefined || (isObject(properties) && Object.keys(properties).length === 0)) return NO_PROPERTIES
  return mapRecord(properties, (names) => (isObject(names) ? mapRecord(names, (value) => value) : undefined))
}

/** `{namespace: [names]}` of the `*_properties_deleted` pushes, copied into a prototype-free record. */
export const parsePropertyNames = (properties: W.PropertyNames | undefined): S.PropertyNames =>
  mapRecord(properties, (names) => (Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : undefined))

export const parseStatistics = (s: W.WireCustomerStatistics | undefined): S.CustomerStatistics => ({
  chatsCount: s?.chats_count ?? 0,
  threadsCount: s?.threads_count ?? 0,
  visitsCount: s?.visits_count ?? 0,
  pageViewsCount: s?.page_views_count ?? 0,
  greetingsShownCount: s?.greetings_shown_count ?? 0,
  greetingsAcceptedCount: s?.greetings_accepted_count ?? 0,
})

export const parseAddress = (a: W.WireAddress): S.Address => ({
  ...(a.address !== undefined && { address: a.address }),
  ...(a.city !== undefined && { city: a.city }),
  ...(a.country !== undefined && { country: a.country }),
  ...(a.state !== undefined && { state: a.state }),
  ...(a.postal_code !== undefined && { postalCode: a.postal_code }),
})

export const parseCustomer = (c: W.WireCustomer): S.Customer => ({
  id: c.id,
  type: 'customer',
  ...(c.name !== undefined && { name: c.name }),
  ...(c.email !== undefined && { email: c.email }),
  ...(c.avatar !== undefined && { avatar: c.avatar }),
  sessionFields: parseSessionFields(c.session_fields),
  statistics: parseStatistics(c.statistics),
  ...(c.email_verified !== undefined && { emailVerified: c.email_verified }),
  ...(c.phone_number !== undefined && { phoneNumber: c.phone_number }),
  ...(c.address !== undefined && { address: parseAddress(c.address) }),
})

export const parseChatUser = (u: W.WireUser): S.ChatUser =>
  u.type === 'customer'
    ? {
        id: u.id,
        type: 'customer',
        ...(u.name !== undefined && { name: u.name }),
        ...(u.email !== undefined && { email: u.email }),
        ...(u.avatar !== undefined && { avatar: u.avatar }),
        sessionFields: parseSessionFields(u.session_fields),
        present: u.present ?? false,
      }
    : {
        id: u.id,
        type: 'agent',
        name: u.name,
        avatar: u.avatar ?? '',
        jobTitle: u.job_title ?? '',
        present: u.present ?? false,
      }

const parsePostback = (p: W.WirePostback): S.Postback => ({
  id: p.id,
  threadId: p.thread_id,
  eventId: p.event_id,
  ...(p.type !== undefined && { type: p.type }),
  ...(p.value !== undefined && { value: p.value }),
})

/** Scales (width, height) to fit `max` on the longer side, never enlarging (sdk-mapping §6.10). */
export const fitThumbnail = (width: number, height: number, max: number): { width: number; height: number } => {
  const longer = Math.max(width, height)
  const shorter = Math.min(width, height)
  const l = Math.ceil(Math.min(longer, max))
  const s = Math.ceil(Math.min((shorter * max) / longer, shorter))
  return width >= height ? { width: l, height: s } : { width: s, height: l }
}

const parseButton = (b: W.WireRichMessageButton): S.RichMessageButton => {
  const base = { text: b.text, postbackId: b.postback_id, userIds: b.user_ids ?? [], role: b.role ?? 'default' } as const
  switch (b.type) {
    case 'message':
    case 'phone':
      return { ...base, type: b.type, value: b.value ?? '' }
    case 'cancel':
      return { ...base, type: 'cancel' }
    case 'url':
      return { ...base, type: 'url', value: b.value ?? '', ...(b.target !== undefined && { target: b.target }) }
    case 'webview':
      return { ...base, type: 'webview', value: b.value ?? '', ...(b.webview_height !== undefined && { webviewHeight: b.webview_height }) }
    default:
      return base
  }
}

const parseEcommerce = (e: W.WireEcommerce): S.Ecommerce => ({
  ...(e.view_type !== undefined && { viewType: e.view_type }),
  ...(e.product_id !== undefined && { productId: e.product_id }),
  ...(e.label !== undefined && { label: e.label }),
  ...(e.options !== undefined && {
    options: e.options.map((o) => ({
      optionId: o.option_id,
      ...(o.label !== undefined && { label: o.label }),
      ...(o.price !== undefined && { price: o.price }),
      ...(o.regular_price !== undefined && { regularPrice: o.regular_price }),
      ...(o.currency !== undefined && { currency: o.currency }),
      ...(o.color !== undefined && { color: o.color }),
      ...(o.image_url !== undefined && { imageUrl: o.image_url }),
      ...(o.image_thumbnail_url !== undefined && { imageThumbnailUrl: o.image_thumbnail_url }),
      ...(o.available !== undefined && { available: o.available }),
      ...(o.selected !== undefined && { selected: o.selected }),
    })),
  }),
  ...(e.addons !== undefined && {
    addons: e.addons.map((a) => ({
      addonType: a.addon_type,
      ...(a.range_from !== undefined && { rangeFrom: a.range_from }),
      ...(a.range_to !== undefined && { rangeTo: a.range_to }),
      ...(a.currency !== undefined && { currency: a.currency }),
    })),
  }),
})

const parseElement = (e: W.WireRichMessageElement): S.RichMessageElement => ({
  ...(typeof e.title === 'string' && { title: e.title }),
  ...(typeof e.subtitle === 'string' && { subtitle: e.subtitle }),
  ...(e.image !== undefined && {
    image: {
      url: e.image.url,
      ...(e.image.name !== undefined && { name: e.image.name }),
      ...(e.image.alternative_text !== undefined && { alternativeText: e.image.alternative_text }),
    },
  }),
  ...(e.buttons !== undefined && { buttons: e.buttons.map(parseButton) }),
  ...(e.ecommerce !== undefined && { ecommerce: parseEcommerce(e.ecommerce) }),
})

const RICH_TEMPLATES: readonly string[] = ['cards', 'sticker', 'quick_replies', 'ecommerce']

/** Parses one event; `threadId` comes from its context (thread, push, or `null` for greetings). */
export const parseEvent = (e: W.WireEvent, threadId: string | null): S.ChatEvent | null => {
  if (e.type === 'message') {
    // the common case, built as one literal (object spreads cost more than the rest of the parse)
    const message: S.MessageEvent = {
      id: e.id,
      authorId: stringOr(e.author_id, 'system'),
      createdAt: e.created_at,
      threadId,
      properties: parseProperties(e.properties),
      type: 'message',
      text: e.text,
    }
    if (e.custom_id !== undefined) message.customId = e.custom_id
    if (e.postback !== undefined) message.postback = parsePostback(e.postback)
    return message
  }
  const base = {
    id: e.id,
    ...(e.custom_id !== undefined && { customId: e.custom_id }),
    authorId: stringOr(e.author_id, 'system'),
    createdAt: e.created_at,
    threadId,
    properties: parseProperties(e.properties),
  }
  switch (e.type) {
    case 'file': {
      const file: S.FileEvent = {
        ...base,
        type: 'file',
        url: e.url,
        name: e.name ?? '',
        contentType: e.content_type ?? 'application/octet-stream',
      }
      if (e.width && e.height) {
        file.width = e.width
        file.height = e.height
        file.thumbnails = {
          default: { url: e.thumbnail_url ?? e.url, ...fitThumbnail(e.width, e.height, 300) },
          high: { url: e.thumbnail2x_url ?? e.url, ...fitThumbnail(e.width, e.height, 600) },
        }
        if (e.alternative_text !== undefined) file.alternativeText = e.alternative_text
      }
      return file
    }
    case 'form':
      return {
        ...base,
        authorId: 'system',
        type: 'form',
        formId: e.form_id,
        ...(e.form_type !== undefined && { formType: e.form_type }),
        fields: e.fields,
      }
    case 'filled_form':
      return {
        ...base,
        type: 'filled_form',
        formId: e.form_id,
        ...(e.form_type !== undefined && { formType: e.form_type }),
        fields: mapGroupChooser(e.fields, 'group_id', 'groupId'),
      }
    case 'rich_message':
      if (!RICH_TEMPLATES.includes(e.template_id)) return null
      return { ...base, type: 'rich_message', template: e.template_id, elements: e.elements.map(parseElement) }
    case 'system_message':
      return {
        ...base,
        authorId: 'system',
        type: 'system_message',
        text: e.text,
        systemMessageType: e.system_message_type,
        ...(isObject(e.text_vars) && { textVars: mapRecord(e.text_vars, (v) => (typeof v === 'string' ? v : undefined)) }),
      }
    case 'custom':
      return { ...base, type: 'custom', ...(e.content !== undefined && { content: e.content }) }
    default:
      return null
  }
}

export const parseEvents = (events: W.WireEvent[], threadId: string | null): S.ChatEvent[] => {
  const result: S.ChatEvent[] = []
  for (const event of events) {
    const parsed = parseEvent(event, threadId)
    if (parsed) result.push(parsed)
  }
  return result
}

export const parseAccess = (a: W.WireAccess | undefined): S.Access =>
  a?.group_ids !== undefined ? { groupIds: a.group_ids } : {}

export const parseQueue = (q: W.WireQueue | undefined): S.Queue | null =>
  q ? { position: q.position, waitTime: q.wait_time, ...(q.queued_at !== undefined && { queuedAt: q.queued_at }) } : null

export const parseThread = (t: W.WireThread, chatId: string): S.Thread => ({
  id: t.id,
  chatId,
  active: t.active,
  access: parseAccess(t.access),
  createdAt: t.created_at,
  userIds: t.user_ids ?? [],
  events: parseEvents(t.events, t.id),
  properties: parseProperties(t.properties),
  previousThreadId: t.previous_thread_id ?? null,
  nextThreadId: t.next_thread_id ?? null,
  queue: parseQueue(t.queue),
})

/** User id → the time up to which that user has seen the chat (prototype-free: ids are wire data). */
export const parseSeenUpToMap = (users: W.WireUser[]): S.EventsSeenUpToMap =>
  recordFrom(users.map((u) => [u.id, u.events_seen_up_to ?? null] as const))

export const parseChat = (c: W.WireChat): S.Chat => ({
  id: c.id,
  access: parseAccess(c.access),
  users: c.users.map(parseChatUser),
  properties: parseProperties(c.properties),
  eventsSeenUpToMap: parseSeenUpToMap(c.users),
  thread: c.thread ? parseThread(c.thread, c.id) : null,
})

export const parseChatSummary = (s: W.WireChatSummary): S.ChatSummary => {
  const summary: S.ChatSummary = {
    id: s.id,
    active: s.active ?? false,
    access: parseAccess(s.access),
    properties: parseProperties(s.properties),
    users: s.users.map(parseChatUser),
    lastThreadId: s.last_thread_id ?? null,
    lastThreadCreatedAt: s.last_thread_created_at ?? null,
    eventsSeenUpToMap: parseSeenUpToMap(s.users),
  }
  if (s.last_event_per_type) {
    const perType: Partial<Record<S.ChatEventType, S.ChatEvent>> = {}
    let newest: { threadCreatedAt: string; event: S.ChatEvent } | undefined
    for (const entry of Object.values(s.last_event_per_type)) {
      const event = parseEvent(entry.event, entry.thread_id)
      if (!event) continue
      perType[event.type] = event
      const later =
        !newest ||
        entry.thread_created_at > newest.threadCreatedAt ||
        (entry.thread_created_at === newest.threadCreatedAt && event.createdAt > newest.event.createdAt)
      if (later) newest = { threadCreatedAt: entry.thread_created_at, event }
    }
    summary.lastEventsPerType = perType
    if (newest) summary.lastEvent = newest.event
  }
  return summary
}

export const parseListChats = (r: W.WireListChatsResponse): S.ListChatsResult => {
  const chatsSummary = r.chats_summary.map(parseChatSummary)
  const users = new Map<string, S.ChatUser>()
  for (const summary of chatsSummary) for (const user of summary.users) if (!users.has(user.id)) users.set(user.id, user)
  return {
    chatsSummary,
    totalChats: r.total_chats,
    users: [...users.values()],
    previousPageId: r.previous_page_id ?? null,
    nextPageId: r.next_page_id ?? null,
  }
}

export const parseListThreads = (r: W.WireListThreadsResponse, chatId: string): S.ListThreadsResult => ({
  threads: r.threads.map((t) => parseThread(t, chatId)),
  previousPageId: r.previous_page_id ?? null,
  nextPageId: r.next_page_id ?? null,
})

export const parseGreeting = (g: W.WireGreeting): S.Greeting => {
  const event = parseEvent(g.event, null)
  return {
    id: g.id,
    uniqueId: g.unique_id,
    displayedFirstTime: g.displayed_first_time,
    accepted: g.accepted ?? false,
    addon: g.addon ?? null,
    subtype: g.subtype ?? 'greeting',
    ...(event?.type === 'message' && { text: event.text }),
    event,
    agent: {
      id: g.agent.id,
      name: g.agent.name,
      avatar: g.agent.avatar ?? '',
      jobTitle: g.agent.job_title ?? '',
      isBot: g.agent.is_bot ?? false,
    },
  }
}

/** Availability as 4.0.2 derives it from the login's private config (sdk-mapping §6.6). */
export const parseAvailability = (config: W.WireDynamicConfig | undefined): S.Availability => {
  const online = config?.online_groups_ids
  if (!online) return 'offline'
  return online.includes(config.customer_groups.monitoring.id) ? 'online' : 'offline'
}

export const parseLogin = (r: W.WireLoginResponse): { connected: S.ConnectedPayload; chats: S.LoginChat[] } => ({
  connected: {
    customer: parseCustomer(r.customer),
    availability: parseAvailability(r.__priv_dynamic_config),
    ...(r.greeting !== undefined && { greeting: parseGreeting(r.greeting) }),
  },
  chats: r.chats.map((c) => ({
    id: c.chat_id,
    active: c.has_active_thread ?? r.has_active_thread,
    hasUnreadEvents: c.has_unread_events,
  })),
})

// ---------------------------------------------------------------- other responses

export interface FormResult {
  enabled: boolean
  form?: { id: string; fields: S.FormField[] }
}

/** `get_form` (sdk-mapping §6.7). */
export const parseForm = (r: W.WireGetFormResponse): FormResult => {
  if (!r.enabled || !r.form) return { enabled: false }
  const ticket = r.form.fields.length > 0 && r.form.fields[0]?.id === undefined
  const fields = r.form.fields.map((field, index) => {
    let f: W.WireFormField = field
    if (f.type === 'group_chooser' && Array.isArray(f.options))
      f = { ...f, options: f.options.map(({ group_id, ...o }) => (group_id === undefined ? o : { ...o, groupId: group_id })) }
    if (f.type === 'rating' && 'comment_label' in f) {
      const { comment_label, ...rest } = f
      f = { ...rest, commentLabel: comment_label }
    }
    return ticket ? { ...f, id: String(index) } : f
  })
  return { enabled: true, form: { id: r.form.id, fields } }
}

export interface UrlInfo {
  url: string
  title?: string
  description?: string
  imageUrl?: string
  imageWidth?: number
  imageHeight?: number
}

/** `get_url_info` (sdk-mapping §6.8). */
export const parseUrlInfo = (r: W.WireUrlInfo): UrlInfo => ({
  url: r.url,
  ...(r.title !== undefined && { title: r.title }),
  ...(r.description !== undefined && { description: r.description }),
  ...(r.image_url !== undefined && { imageUrl: `https://${r.image_url.replace(/^[a-z]+:\/\//i, '').replace(/^\/\//, '')}` }),
  ...(r.image_width && r.image_height ? { imageWidth: r.image_width, imageHeight: r.image_height } : {}),
})

export interface PredictedAgent {
  id: string
  name: string
  avatar: string
  jobTitle: string
  type: string
  botType?: 'chatbot' | 'ai_agent'
  isBot: boolean
}

export interface WelcomeMessageResult {
  id: string
  predictedAgent: PredictedAgent
  queue: boolean
}

/** `request_welcome_message` (sdk-mapping §6.9). */
export const parseWelcomeMessage = (r: W.WireWelcomeMessage): WelcomeMessageResult => ({
  id: r.id,
  predictedAgent: {
    id: r.predicted_agent.id,
    name: r.predicted_agent.name,
    avatar: r.predicted_agent.avatar ?? '',
    jobTitle: r.predicted_agent.job_title ?? '',
    type: r.predicted_agent.type ?? 'agent',
    ...(r.predicted_agent.bot_type !== undefined && { botType: r.predicted_agent.bot_type }),
    isBot: r.predicted_agent.is_bot ?? false,
  },
  queue: r.queue ?? false,
})
