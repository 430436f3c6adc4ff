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

/** A type alias, not an interface: only object literal types fit index-signature types such as `Record<string, unknown>` (the server validates elements as loose objects). */
export type WireRichMessageElement = {
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

/** What an agent sends in `send_event`: the same events, with `visibility` instead of `recipients` (agent-rtm §4). */
export type WireAgentOutgoingEvent = WireOutgoingEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'recipients'> & { visibility?: Recipients }
    : never
  : never

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

export interface WireChatAccessUpdatedPush {
  id: string
  access: WireAccess
}

export interface WireChatTransferredPush {
  chat_id: string
  thread_id?: string
  requester_id?: string
  reason: string
  transferred_to: { group_ids?: number[]; agent_ids?: string[] }
  queue?: WireQueue
}

export interface WireEventDeletedPush {
  chat_id: string
  thread_id: string
  event_id: string
}

/** `event_updated`: the whole event, as in `incoming_event`. */
export type WireEventUpdatedPush = WireIncomingEventPush

export interface WireRichMessagePostbackPush {
  user_id: string
  chat_id: string
  thread_id: string
  event_id: string
  postback: WireRichMessagePostback
}

export interface WireChatPropertiesUpdatedPush {
  chat_id: string
  properties: Properties
}

export interface WireChatPropertiesDeletedPush {
  chat_id: string
  properties: PropertyNames
}

export interface WireThreadPropertiesUpdatedPush {
  chat_id: string
  thread_id: string
  properties: Properties
}

export interface WireThreadPropertiesDeletedPush {
  chat_id: string
  thread_id: string
  properties: PropertyNames
}

export interface WireEventPropertiesUpdatedPush {
  chat_id: string
  thread_id: string
  event_id: string
  properties: Properties
}

export interface WireEventPropertiesDeletedPush {
  chat_id: string
  thread_id: string
  event_id: string
  properties: PropertyNames
}

/** `customer_updated`: the changed fields of the customer, top level, with its `id`. */
export type WireCustomerUpdatedPush = Partial<Omit<WireCustomer, 'id'>> & { id: string }

/** `incoming_sneak_peek` (agents only): what the customer is typing. `timestamp` is in Unix seconds. */
export interface WireSneakPeekPush {
  chat_id: string
  thread_id: string
  sneak_peek: { author_id: string; text: string; timestamp: number }
}

/** `incoming_typing_indicator`: customers see `recipients`, agents `visibility`; `timestamp` in Unix seconds. */
export interface WireTypingIndicatorPush {
  chat_id: string
  thread_id: string
  typing_indicator: { author_id: string; is_typing: boolean; timestamp?: number; recipients?: Recipients; visibility?: Recipients }
}

export interface WireThinkingIndicatorPush {
  chat_id: string
  thread_id: string
  author_id: string
  sent_at: string
  title?: string
  description?: string
  custom_id?: string
}

export interface WireEventsMarkedAsSeenPush {
  user_id: string
  chat_id: string
  seen_up_to: string
}

export interface WireRoutingStatusSetPush {
  agent_id: string
  status: WireRoutingStatus
}

/** `queue_positions_updated` (agents): the payload is an array, one entry per queued chat. */
export type WireQueuePositionsUpdatedPush = Array<{ chat_id: string; thread_id: string; queue: { position: number; wait_time: number } }>

export interface WireMulticastPush {
  /** Absent when the server itself sent it. */
  author_id?: string
  content: unknown
  type?: string
}

export interface WireGroupsStatusUpdatedPush {
  groups: WireGroupStatus[]
}

/** `incoming_event_preview` (customers, 3.6): a message being written, not stored, so without `id`. */
export interface WireEventPreviewPush {
  chat_id: string
  thread_id: string
  event: WireIdlessEvent
}

/** `greeting_accepted` and `greeting_canceled`. */
export interface WireGreetingStatusPush {
  unique_id: string
}

/** `queue_position_updated` (customers): no `queued_at`. */
export interface WireQueuePositionUpdatedPush {
  chat_id: string
  thread_id: string
  queue: { position: number; wait_time: number }
}

/** `agent_disconnected` has the same shape as `customer_disconnected`. */
export type WireAgentDisconnectedPush = WireCustomerDisconnectedPush

// ---------------------------------------------------------------- requests and responses of the action maps

/** The payload of a request or response that carries nothing (`{}` on the wire). */
export type WireEmpty = Record<string, never>

export type WireSortOrder = 'asc' | 'desc'

/** The chat a `start_chat` / `resume_chat` creates or resumes (customer-rtm §5.1). */
export interface WireChatInput {
  access?: WireAccess
  properties?: Properties
  thread?: { events?: WireOutgoingEvent[]; properties?: Properties }
}

export interface WireStartChatRequest {
  chat?: WireChatInput
  active?: boolean
  continuous?: boolean
  /** SDK5's `welcomeMessageId`, sent top level ([REC] customer-rtm §5.1). */
  welcome_message_id?: string
}

export interface WireResumeChatRequest {
  chat: WireChatInput & { id: string }
  active?: boolean
  continuous?: boolean
  welcome_message_id?: string
}

export interface WireResumeChatResponse {
  thread_id: string
  event_ids?: string[]
}

export interface WireListChatsRequest {
  limit?: number
  sort_order?: WireSortOrder
  page_id?: string
}

export interface WireListThreadsRequest {
  chat_id: string
  sort_order?: WireSortOrder
  limit?: number
  page_id?: string
  min_events_count?: number
}

export interface WireGetChatRequest {
  chat_id: string
  thread_id?: string
}

export interface WireSendEventRequest {
  chat_id: string
  event: WireOutgoingEvent
  attach_to_last_thread?: boolean
}

export interface WireEventRef {
  chat_id: string
  thread_id: string
  event_id: string
}

/** The `postback` of `send_rich_message_postback` and of the `incoming_rich_message_postback` push. */
export interface WireRichMessagePostback {
  id: string
  toggled: boolean
  button_type?: string
  button_value?: string
  ecommerce?: { product_id: string; option_id?: string; quantity?: number }
}

export interface WireSendRichMessagePostbackRequest extends WireEventRef {
  postback: WireRichMessagePostback
}

/** The six property actions, shared by both sides (customer-rtm §5.3). */
export interface WirePropertyActionMap {
  update_chat_properties: { request: { id: string; properties: Properties }; response: WireEmpty }
  delete_chat_properties: { request: { id: string; properties: PropertyNames }; response: WireEmpty }
  update_thread_properties: { request: { chat_id: string; thread_id: string; properties: Properties }; response: WireEmpty }
  delete_thread_properties: { request: { chat_id: string; thread_id: string; properties: PropertyNames }; response: WireEmpty }
  update_event_properties: { request: WireEventRef & { properties: Properties }; response: WireEmpty }
  delete_event_properties: { request: WireEventRef & { properties: PropertyNames }; response: WireEmpty }
}

export interface WireOmnichannel {
  fbmessenger?: {
    id: string
    name?: string
    first_name?: string
    last_name?: string
    profile_pic?: string
    gender?: string
    locale?: string
    is_verified_user?: boolean
  }
  twilio?: { phone_number: string }
}

/** `update_customer`: at least one field (customer-rtm §5.4). */
export interface WireUpdateCustomerRequest {
  name?: string
  email?: string
  avatar?: string
  session_fields?: WireSessionFields
  omnichannel?: WireOmnichannel
  address?: WireAddress
}

export type WireGroupAvailability = 'online' | 'online_for_queue' | 'offline'

export interface WireGroupStatus {
  id: number
  status: WireGroupAvailability
}

/** `update_customer_page`: `{}`, or in 3.6 the groups whose status the page change moved the customer to. */
export interface WireUpdateCustomerPageResponse {
  groups?: WireGroupStatus[]
}

/** `list_group_statuses`: one of `all: true` or `group_ids` (customer-rtm §5.5). */
export type WireListGroupStatusesRequest = { all: true } | { group_ids: number[] }

/** Keyed by the group id as a string; ids of groups that do not exist are missing. */
export interface WireListGroupStatusesResponse {
  groups_status: Record<string, WireGroupAvailability>
}

export type WireFormType = 'prechat' | 'postchat' | 'ticket'

export interface WireForm {
  id: string
  fields: WireFormField[]
}

export type WireGetFormResponse = { enabled: false } | { enabled: true; form: WireForm }

export interface WirePredictedAgent {
  id: string
  name: string
  avatar?: string
  job_title?: string
  type?: string
  is_bot?: boolean
  /** Bots only (3.6). */
  bot_type?: 'chatbot' | 'ai_agent'
}

export interface WireGetPredictedAgentResponse {
  agent: WirePredictedAgent
  queue: boolean
}

/** The response of `request_welcome_message` (customer-rtm §5.6). */
export interface WireWelcomeMessage {
  id: string
  predicted_agent: WirePredictedAgent
  queue?: boolean
}

/** An event as a push that does not store it carries it: maybe without `id`. */
export type WireIdlessEvent = WireEvent extends infer E ? (E extends WireEvent ? Omit<E, 'id'> & { id?: string } : never) : never

/** `incoming_welcome_message`: the message itself (message or rich message event, maybe without `id`). */
export interface WireIncomingWelcomeMessagePush {
  id: string
  event: WireIdlessEvent
}

/** The response of `get_url_info`; `image_url` may lack its scheme. */
export interface WireUrlInfo {
  url: string
  title?: string
  description?: string
  image_url?: string
  image_original_url?: string
  image_width?: number
  image_height?: number
}

// ---------------------------------------------------------------- agent side (agent-rtm)

export type WireRoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline'

export type WireCustomerMonitoringLevel = 'my' | 'chatting' | 'invited' | 'online' | 'highest_available'

export interface WireAgentLoginRequest {
  token: string
  timezone?: string
  reconnect?: boolean
  application?: { name: string; version: string }
  away?: boolean
  customer_monitoring_level?: WireCustomerMonitoringLevel
  pushes?: Record<string, string[]>
}

export interface WireLicense {
  id: string
  organization_id?: string
  plan?: string
  expiration_timestamp?: number
  creation_timestamp?: number
  in_trial?: boolean
}

/** `my_profile` of the agent login response. */
export interface WireAgentProfile {
  id: string
  type: 'agent'
  name: string
  email?: string
  avatar?: string
  job_title?: string
  present?: boolean
  events_seen_up_to?: string
  routing_status?: WireRoutingStatus
  permission?: string
  is_bot?: boolean
}

export interface WireAgentThreadSummary {
  id: string
  created_at: string
  user_ids: string[]
  properties?: Properties
  active: boolean
  access?: WireAccess
  queue?: WireQueue
}

/** An agent's chat summary: `last_thread_summary` instead of the customer's `last_thread_*` fields. */
export interface WireAgentChatSummary {
  id: string
  users: WireUser[]
  last_event_per_type?: Record<string, { thread_id: string; thread_created_at: string; event: WireEvent }>
  last_thread_summary?: WireAgentThreadSummary
  properties?: Properties
  access?: WireAccess
  is_followed?: boolean
}

export interface WireAgentLoginResponse {
  license: WireLicense
  my_profile: WireAgentProfile
  chats_summary: WireAgentChatSummary[]
}

export interface WireAgentListChatsRequest {
  filters?: {
    active?: boolean | null
    include_chats_without_threads?: boolean
    group_ids?: number[]
    properties?: Record<string, Record<string, { exists?: boolean; values?: unknown[]; exclude_values?: unknown[] }>>
  }
  sort_order?: WireSortOrder
  limit?: number
  page_id?: string
}

export interface WireAgentListChatsResponse {
  chats_summary: WireAgentChatSummary[]
  found_chats: number
  next_page_id?: string
  previous_page_id?: string
}

export interface WireAgentListThreadsRequest extends WireListThreadsRequest {
  filters?: { from?: string; to?: string }
}

/** A thread as agents get it (3.6 may add a summary and the customer's visit). */
export interface WireAgentThread extends WireThread {
  summary?: { status: string; text?: string; updated_at?: string }
  customer_visit?: { ip?: string; user_agent?: string; geolocation?: Record<string, unknown> }
}

export interface WireAgentChat extends WireChat {
  thread?: WireAgentThread
}

export interface WireAgentSendEventRequest {
  chat_id: string
  event: WireAgentOutgoingEvent
  attach_to_last_thread?: boolean
}

export type WireTransferTarget = { type: 'group'; ids: number[] } | { type: 'agent'; ids: string[] }

export interface WireMulticastRequest {
  recipients: { agents?: { all?: boolean; ids?: string[]; groups?: number[] }; customers?: string[] }
  content: unknown
  type?: string
}
