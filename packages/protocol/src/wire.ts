/**
 * Wire shapes (snake_case) of the Customer Chat API v3.6 as the customer side sees
 * them (seed 004 and customer-rtm §9). Agent-side differences are noted inline.
 */

export type Properties = Record<string, Record<string, unknown>>
export type PropertyNames = Record<string, string[]>
export type Recipients = 'all' | 'agents'

// ---------------------------------------------------------------- events

interface WireEventBase {
  id: string
  custom_id?: string
  created_at: string
  author_id?: string
  /** Customer side; agents see `visibility` instead. */
  recipients?: Recipients
  visibility?: Recipients
  properties?: Properties
}

export interface WirePostback {
  id: string
  thread_id: string
  event_id: string
  type?: string
  value?: string
  ecommerce?: { product_id: string; option_id?: string; quantity?: number }
}

export interface WireMessageEvent extends WireEventBase {
  type: 'message'
  text: string
  postback?: WirePostback
  deleted?: boolean
}

export interface WireFileEvent extends WireEventBase {
  type: 'file'
  url: string
  name?: string
  content_type?: string
  size?: number
  width?: number
  height?: number
  thumbnail_url?: string
  thumbnail2x_url?: string
  alternative_text?: string
}

export interface WireFormField {
  type: string
  id?: string
  label?: string
  required?: boolean
  answer?: unknown
  answers?: unknown[]
  options?: Array<Record<string, unknown>>
  [key: string]: unknown
}

export interface WireFormEvent extends WireEventBase {
  type: 'form'
  form_id: string
  form_type?: string
  fields: WireFormField[]
}

export interface WireFilledFormEvent extends WireEventBase {
  type: 'filled_form'
  form_id: string
  form_type?: string
  fields: WireFormField[]
}

export type WireButtonType = 'webview' | 'message' | 'url' | 'phone' | 'cancel'

export interface WireRichMessageButton {
  text: string
  type?: WireButtonType
  value?: string
  webview_height?: 'compact' | 'full' | 'tall'
  postback_id: string
  user_ids: string[]
  target?: 'new' | 'current'
  role?: 'default' | 'primary' | 'danger'
}

export interface WireEcommerce {
  view_type?: 'tags' | 'swatch' | 'images' | 'select'
  product_id?: string
  label?: string
  options?: Array<{
    option_id: string
    label?: string
    price?: number
    regular_price?: number
    currency?: string
    color?: string
    image_url?: string
    image_thumbnail_url?: string
    available?: boolean
    selected?: boolean
  }>
  addons?: Array<{ addon_type: string; range_from?: number; range_to?: number; currency?: string }>
}

export interface WireRichMessageElement {
  title?: string
  subtitle?: string
  image?: {
    url: string
    name?: string
    content_type?: string
    size?: number
    width?: number
    height?: number
    alternative_text?: string
  }
  buttons?: WireRichMessageButton[]
  ecommerce?: WireEcommerce
}

export interface WireRichMessageEvent extends WireEventBase {
  type: 'rich_message'
  template_id: 'cards' | 'sticker' | 'quick_replies' | 'ecommerce'
  elements: WireRichMessageElement[]
}

export interface WireSystemMessageEvent extends WireEventBase {
  type: 'system_message'
  text: string
  system_message_type: string
  text_vars?: Record<string, string>
}

export interface WireSystemEvent extends WireEventBase {
  type: 'system'
  source?: string
  subtype?: string
  version?: string
  details?: string
}

export interface WireCustomEvent extends WireEventBase {
  type: 'custom'
  content?: unknown
}

export type WireEvent =
  | WireMessageEvent
  | WireFileEvent
  | WireFormEvent
  | WireFilledFormEvent
  | WireRichMessageEvent
  | WireSystemMessageEvent
  | WireSystemEvent
  | WireCustomEvent

export type WireEventType = WireEvent['type']

/** What a client sends in `send_event` / initial thread events: no server-assigned fields. */
export type WireOutgoingEvent =
  | { type: 'message'; text: string; custom_id?: string; properties?: Properties; recipients?: Recipients; postback?: WirePostback }
  | { type: 'file'; url: string; alternative_text?: string; custom_id?: string; properties?: Properties; recipients?: Recipients }
  | { type: 'filled_form'; form_id: string; form_type?: string; fields: WireFormField[]; custom_id?: string; properties?: Properties; recipients?: Recipients }
  | { type: 'system_message'; text: string; system_message_type?: string; recipients?: Recipients; custom_id?: string; properties?: Properties }
  | { type: 'custom'; content?: unknown; custom_id?: string; properties?: Properties; recipients?: Recipients }
  | { type: 'rich_message'; template_id: string; elements: WireRichMessageElement[]; custom_id?: string; properties?: Properties; recipients?: Recipients }

// ---------------------------------------------------------------- users

export interface WireCustomerStatistics {
  chats_count: number
  threads_count: number
  visits_count: number
  page_views_count: number
  greetings_shown_count: number
  greetings_accepted_count: number
}

export interface WireAddress {
  address?: string
  city?: string
  country?: string
  state?: string
  postal_code?: string
}

export type WireSessionFields = Array<Record<string, string>>

export interface WireCustomer {
  id: string
  type: 'customer'
  name?: string
  email?: string
  email_verified?: boolean
  avatar?: string
  phone_number?: string
  session_fields?: WireSessionFields
  present?: boolean
  events_seen_up_to?: string
  omnichannel?: Record<string, unknown>
  address?: WireAddress
  statistics?: WireCustomerStatistics
}

export interface WireAgent {
  id: string
  type: 'agent'
  name: string
  avatar?: string
  job_title?: string
  present?: boolean
  events_seen_up_to?: string
  email?: string
  is_bot?: boolean
}

export type WireUser = WireCustomer | WireAgent

// ---------------------------------------------------------------- chats

export interface WireAccess {
  group_ids?: number[]
}

export interface WireQueue {
  position: number
  wait_time: number
  queued_at?: string
}

export interface WireThread {
  id: string
  active: boolean
  user_ids: string[]
  events: WireEvent[]
  properties?: Properties
  access?: WireAccess
  queue?: WireQueue
  previous_thread_id?: string
  next_thread_id?: string
  created_at: string
}

export interface WireChat {
  id: string
  thread?: WireThread
  users: WireUser[]
  access?: WireAccess
  properties?: Properties
  is_followed?: boolean
}

export interface WireChatSummary {
  id: string
  last_thread_id?: string
  last_thread_created_at?: string
  last_event_per_type?: Record<string, { thread_id: string; thread_created_at: string; event: WireEvent }>
  users: WireUser[]
  access?: WireAccess
  properties?: Properties
  active?: boolean
}

export interface WireGreeting {
  id: number
  unique_id: string
  displayed_first_time: boolean
  accepted?: boolean
  addon?: string | null
  subtype?: string
  is_exit_intent?: boolean
  event: WireEvent
  agent: { id: string; name: string; avatar?: string; job_title?: string; is_bot?: boolean }
}

// ---------------------------------------------------------------- login

export interface WireLoginRequest {
  token: string
  customer?: { name?: string; email?: string; avatar?: string; session_fields?: WireSessionFields; address?: WireAddress }
  customer_page?: { url: string; title?: string }
  customer_side_storage?: Record<string, string>
  is_mobile?: boolean
  group_id?: number
  referrer?: string
  application?: { name: string; version: string; channel_type?: string }
  pushes?: Record<string, string[]>
  tab_id?: string
}

export interface WireDynamicConfig {
  online_groups_ids?: number[]
  customer_groups: { monitoring: { id: number; static_config_url?: string; language_config_url?: string } }
  [key: string]: unknown
}

export interface WireLoginResponse {
  customer: WireCustomer & { statistics: WireCustomerStatistics }
  has_active_thread: boolean
  chats: Array<{ chat_id: string; has_unread_events: boolean; has_active_thread?: boolean }>
  greeting?: WireGreeting
  __priv_dynamic_config: WireDynamicConfig
  customer_id?: string
}

// ---------------------------------------------------------------- responses of other actions

export interface WireListChatsResponse {
  chats_summary: WireChatSummary[]
  total_chats: number
  next_page_id?: string
  previous_page_id?: string
}

export interface WireListThreadsResponse {
  threads: WireThread[]
  found_threads: number
  next_page_id?: string
  previous_page_id?: string
}

export interface WireStartChatResponse {
  chat_id: string
  thread_id: string
  event_ids?: string[]
}

export interface WireSendEventResponse {
  event_id: string
}

// ---------------------------------------------------------------- pushes

export interface WireIncomingChatPush {
  requester_id?: string
  chat: WireChat & { thread: WireThread }
  transferred_from?: { group_ids?: number[]; agent_ids?: string[] }
}

export interface WireIncomingEventPush {
  chat_id: string
  thread_id: string
  event: WireEvent
}

export interface WireChatDeactivatedPush {
  chat_id: string
  thread_id: string
  user_id?: string
}

export interface WireUserAddedToChatPush {
  chat_id: string
  thread_id?: string
  user: WireUser
  reason: string
  requester_id?: string
}

export interface WireUserRemovedFromChatPush {
  chat_id: string
  thread_id?: string
  user_id: string
  reason: string
  requester_id?: string
}

export interface WireCustomerDisconnectedPush {
  reason: string
  data?: Record<string, unknown>
}
