/**
 * Every RTM action of each side with the payload types of its request and of its
 * successful response, as they are on the wire (snake_case). Customer actions follow
 * customer-rtm §4–5, agent actions agent-rtm §2–4. A client types its `request(action,
 * payload)` with these maps; the server checks its validation schemas against them.
 */
import type { WireAgentCustomer } from './webApi'
import type * as W from './wire'

/** One action: what the client sends and what a successful response carries. */
export interface ActionTypes<Req, Res> {
  request: Req
  response: Res
}

type Empty = W.WireEmpty
type Action<Req, Res = Empty> = ActionTypes<Req, Res>

export interface CustomerActionMap extends W.WirePropertyActionMap {
  login: Action<W.WireLoginRequest, W.WireLoginResponse>
  ping: Action<Empty>
  list_chats: Action<W.WireListChatsRequest, W.WireListChatsResponse>
  list_threads: Action<W.WireListThreadsRequest, W.WireListThreadsResponse>
  get_chat: Action<W.WireGetChatRequest, W.WireChat>
  /** Answered by the `incoming_chat` push carrying the `request_id` too (customer-rtm §3.4). */
  start_chat: Action<W.WireStartChatRequest, W.WireStartChatResponse>
  /** Answered by the `incoming_chat` push carrying the `request_id` too. */
  resume_chat: Action<W.WireResumeChatRequest, W.WireResumeChatResponse>
  deactivate_chat: Action<{ id: string }>
  /** Answered by the `incoming_event` push carrying the `request_id` too. */
  send_event: Action<W.WireSendEventRequest, W.WireSendEventResponse>
  delete_event: Action<W.WireEventRef>
  send_rich_message_postback: Action<W.WireSendRichMessagePostbackRequest>
  send_sneak_peek: Action<{ chat_id: string; sneak_peek_text: string }>
  update_customer: Action<W.WireUpdateCustomerRequest>
  update_customer_page: Action<{ url: string; title?: string }, W.WireUpdateCustomerPageResponse>
  set_customer_session_fields: Action<{ session_fields: W.WireSessionFields }>
  get_customer: Action<Empty, W.WireCustomer & { statistics: W.WireCustomerStatistics }>
  list_group_statuses: Action<W.WireListGroupStatusesRequest, W.WireListGroupStatusesResponse>
  get_form: Action<{ group_id: number; type: W.WireFormType }, W.WireGetFormResponse>
  get_predicted_agent: Action<{ group_id?: number }, W.WireGetPredictedAgentResponse>
  request_welcome_message: Action<{ id?: string; group_id?: number }, W.WireWelcomeMessage>
  send_greeting_button_clicked: Action<{ greeting_unique_id: string; button_id: string }>
  get_url_info: Action<{ url: string }, W.WireUrlInfo>
  mark_events_as_seen: Action<{ chat_id: string; seen_up_to: string }>
  accept_greeting: Action<{ greeting_id: number; unique_id: string }>
  cancel_greeting: Action<{ unique_id: string }>
}

export interface AgentActionMap extends W.WirePropertyActionMap {
  login: Action<W.WireAgentLoginRequest, W.WireAgentLoginResponse>
  ping: Action<Empty>
  set_routing_status: Action<{ status: W.WireRoutingStatus; agent_id?: string }>
  set_away_status: Action<{ away: boolean }>
  /** The response payload is an array. */
  list_routing_statuses: Action<{ filters?: { group_ids?: number[] } }, Array<{ agent_id: string; status: W.WireRoutingStatus }>>
  update_session: Action<{ token: string }>
  logout: Action<{ agent_id?: string }>
  list_chats: Action<W.WireAgentListChatsRequest, W.WireAgentListChatsResponse>
  list_threads: Action<W.WireAgentListThreadsRequest, W.WireListThreadsResponse>
  get_chat: Action<W.WireGetChatRequest, W.WireAgentChat>
  deactivate_chat: Action<{ id: string; ignore_requester_presence?: boolean }>
  transfer_chat: Action<{
    id: string
    target?: W.WireTransferTarget
    ignore_agents_availability?: boolean
    ignore_requester_presence?: boolean
  }>
  add_user_to_chat: Action<{
    chat_id: string
    user_id: string
    user_type: 'agent' | 'customer'
    visibility: W.Recipients
    ignore_requester_presence?: boolean
  }>
  /** The customer cannot be removed. */
  remove_user_from_chat: Action<{ chat_id: string; user_id: string; user_type: 'agent'; ignore_requester_presence?: boolean }>
  send_event: Action<W.WireAgentSendEventRequest, W.WireSendEventResponse>
  delete_event: Action<W.WireEventRef>
  /** Not stored; customers get `incoming_event_preview` (3.6). */
  send_event_preview: Action<{ chat_id: string; event: { type: 'message'; text: string; visibility?: 'all'; custom_id?: string } }>
  send_typing_indicator: Action<{ chat_id: string; is_typing: boolean; visibility?: W.Recipients }>
  send_thinking_indicator: Action<{ chat_id: string; title?: string; description?: string; visibility?: W.Recipients; custom_id?: string }>
  send_rich_message_postback: Action<W.WireSendRichMessagePostbackRequest>
  mark_events_as_seen: Action<{ chat_id: string; seen_up_to: string }>
  /** The agent-side Customer record (seed `000_…`). */
  get_customer: Action<{ id: string }, WireAgentCustomer>
  multicast: Action<W.WireMulticastRequest>
}

export type CustomerRequest<A extends keyof CustomerActionMap> = CustomerActionMap[A]['request']
export type CustomerResponse<A extends keyof CustomerActionMap> = CustomerActionMap[A]['response']
export type AgentRequest<A extends keyof AgentActionMap> = AgentActionMap[A]['request']
export type AgentResponse<A extends keyof AgentActionMap> = AgentActionMap[A]['response']
