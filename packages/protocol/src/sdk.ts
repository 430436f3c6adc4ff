/**
 * SDK shapes (camelCase), as the documentation (seed 003) and sdk-mapping §6 give them.
 * Property bags, custom content and form fields pass through unchanged.
 */
import type { Properties, PropertyNames, WireFormField } from './wire'

export type { Properties, PropertyNames }

export type Availability = 'online' | 'offline'

export interface CustomerStatistics {
  chatsCount: number
  threadsCount: number
  visitsCount: number
  pageViewsCount: number
  greetingsShownCount: number
  greetingsAcceptedCount: number
}

export interface Address {
  address?: string
  city?: string
  country?: string
  state?: string
  postalCode?: string
}

export type SessionFields = Record<string, string>

export interface Customer {
  id: string
  type: 'customer'
  name?: string
  email?: string
  avatar?: string
  sessionFields: SessionFields
  statistics: CustomerStatistics
  emailVerified?: boolean
  phoneNumber?: string
  address?: Address
}

export interface CustomerUser {
  id: string
  type: 'customer'
  name?: string
  email?: string
  avatar?: string
  sessionFields: SessionFields
  present: boolean
}

export interface AgentUser {
  id: string
  type: 'agent'
  name: string
  avatar: string
  jobTitle: string
  present: boolean
}

export type ChatUser = CustomerUser | AgentUser

// ---------------------------------------------------------------- events

interface EventBase {
  id: string
  customId?: string
  authorId: string
  createdAt: string
  threadId: string | null
  properties: Properties
}

export interface Postback {
  id: string
  threadId: string
  eventId: string
  type?: string
  value?: string
}

export interface MessageEvent extends EventBase {
  type: 'message'
  text: string
  postback?: Postback
}

export interface Thumbnail {
  url: string
  width: number
  height: number
}

export interface FileEvent extends EventBase {
  type: 'file'
  url: string
  name: string
  contentType: string
  width?: number
  height?: number
  thumbnails?: { default: Thumbnail; high: Thumbnail }
  alternativeText?: string
}

export type FormField = WireFormField

export interface FormEvent extends EventBase {
  type: 'form'
  formId: string
  formType?: string
  fields: FormField[]
}

export interface FilledFormEvent extends EventBase {
  type: 'filled_form'
  formId: string
  formType?: string
  fields: FormField[]
}

export type ButtonRole = 'default' | 'primary' | 'danger'

interface ButtonBase {
  text: string
  postbackId: string
  userIds: string[]
  role: ButtonRole
}

export type RichMessageButton =
  | (ButtonBase & { type: 'message' | 'phone'; value: string })
  | (ButtonBase & { type: 'cancel' })
  | (ButtonBase & { type: 'url'; value: string; target?: 'new' | 'current' })
  | (ButtonBase & { type: 'webview'; value: string; webviewHeight?: 'compact' | 'full' | 'tall' })
  | ButtonBase

export interface EcommerceOption {
  optionId: string
  label?: string
  price?: number
  regularPrice?: number
  currency?: string
  color?: string
  imageUrl?: string
  imageThumbnailUrl?: string
  available?: boolean
  selected?: boolean
}

export interface Ecommerce {
  viewType?: 'tags' | 'swatch' | 'images' | 'select'
  productId?: string
  label?: string
  options?: EcommerceOption[]
  addons?: Array<{ addonType: string; rangeFrom?: number; rangeTo?: number; currency?: string }>
}

export interface RichMessageElement {
  title?: string
  subtitle?: string
  image?: { url: string; name?: string; alternativeText?: string }
  buttons?: RichMessageButton[]
  ecommerce?: Ecommerce
}

export type RichMessageTemplate = 'cards' | 'sticker' | 'quick_replies' | 'ecommerce'

export interface RichMessageEvent extends EventBase {
  type: 'rich_message'
  template: RichMessageTemplate
  elements: RichMessageElement[]
}

export interface SystemMessageEvent extends EventBase {
  type: 'system_message'
  text: string
  systemMessageType: string
  textVars?: Record<string, string>
}

export interface CustomEvent extends EventBase {
  type: 'custom'
  content?: unknown
}

export type ChatEvent =
  | MessageEvent
  | FileEvent
  | FormEvent
  | FilledFormEvent
  | RichMessageEvent
  | SystemMessageEvent
  | CustomEvent

export type ChatEventType = ChatEvent['type']

/** Events a customer can send (`sendEvent`, initial thread events). */
export type OutgoingEvent =
  | { type: 'message'; text: string; customId?: string; properties?: Properties; postback?: Postback }
  | { type: 'file'; url: string; alternativeText?: string; customId?: string; properties?: Properties }
  | { type: 'filled_form'; formId: string; formType?: string; fields: FormField[]; customId?: string; properties?: Properties }
  | { type: 'system_message'; text: string; systemMessageType?: string; recipients?: 'all' | 'agents'; customId?: string; properties?: Properties }
  | { type: 'custom'; content?: unknown; customId?: string; properties?: Properties }

// ---------------------------------------------------------------- chats

export interface Access {
  groupIds?: number[]
}

export interface Queue {
  position: number
  waitTime: number
  queuedAt?: string
}

export interface Thread {
  id: string
  chatId: string
  active: boolean
  access: Access
  createdAt: string
  userIds: string[]
  events: ChatEvent[]
  properties: Properties
  previousThreadId: string | null
  nextThreadId: string | null
  queue: Queue | null
}

export type EventsSeenUpToMap = Record<string, string | null>

export interface Chat {
  id: string
  access: Access
  users: ChatUser[]
  properties: Properties
  eventsSeenUpToMap: EventsSeenUpToMap
  thread: Thread | null
}

export interface ChatSummary {
  id: string
  active: boolean
  access: Access
  properties: Properties
  users: ChatUser[]
  lastThreadId: string | null
  lastThreadCreatedAt: string | null
  eventsSeenUpToMap: EventsSeenUpToMap
  lastEventsPerType?: Partial<Record<ChatEventType, ChatEvent>>
  lastEvent?: ChatEvent
}

export interface ListChatsResult {
  chatsSummary: ChatSummary[]
  totalChats: number
  users: ChatUser[]
  previousPageId: string | null
  nextPageId: string | null
}

export interface ListThreadsResult {
  threads: Thread[]
  previousPageId: string | null
  nextPageId: string | null
}

export interface Greeting {
  id: number
  uniqueId: string
  displayedFirstTime: boolean
  accepted: boolean
  addon: string | null
  subtype: string
  text?: string
  event: ChatEvent | null
  agent: { id: string; name: string; avatar: string; jobTitle: string; isBot: boolean }
}

export interface ConnectedPayload {
  customer: Customer
  availability: Availability
  greeting?: Greeting
}

export interface LoginChat {
  id: string
  active: boolean
  hasUnreadEvents: boolean
}

/** A successful result of methods that answer with an empty payload. */
export interface SuccessResult {
  success: true
}
