/** Customer RTM actions of API v3.6 (customer-rtm §5). */
export const CUSTOMER_ACTIONS = [
  'login',
  'ping',
  'list_chats',
  'list_threads',
  'get_chat',
  'start_chat',
  'resume_chat',
  'deactivate_chat',
  'send_event',
  'delete_event',
  'send_rich_message_postback',
  'send_sneak_peek',
  'update_chat_properties',
  'delete_chat_properties',
  'update_thread_properties',
  'delete_thread_properties',
  'update_event_properties',
  'delete_event_properties',
  'update_customer',
  'update_customer_page',
  'set_customer_session_fields',
  'get_customer',
  'list_group_statuses',
  'get_form',
  'get_predicted_agent',
  'request_welcome_message',
  'send_greeting_button_clicked',
  'get_url_info',
  'mark_events_as_seen',
  'accept_greeting',
  'cancel_greeting',
] as const
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number]

/** Actions answered by the push that carries their `request_id` (customer-rtm §3.4). */
export const INDIRECT_ACTIONS = {
  start_chat: 'incoming_chat',
  resume_chat: 'incoming_chat',
  send_event: 'incoming_event',
} as const satisfies Partial<Record<CustomerAction, string>>
export type IndirectAction = keyof typeof INDIRECT_ACTIONS

export const isIndirectAction = (action: string): action is IndirectAction => action in INDIRECT_ACTIONS

/** Pushes a customer connection can receive in 3.6 (customer-rtm §7). */
export const CUSTOMER_PUSHES = [
  'incoming_chat',
  'chat_deactivated',
  'chat_transferred',
  'user_added_to_chat',
  'user_removed_from_chat',
  'incoming_event_preview',
  'incoming_event',
  'event_deleted',
  'event_updated',
  'incoming_rich_message_postback',
  'chat_properties_updated',
  'chat_properties_deleted',
  'thread_properties_updated',
  'thread_properties_deleted',
  'event_properties_updated',
  'event_properties_deleted',
  'customer_updated',
  'customer_side_storage_updated',
  'customer_disconnected',
  'groups_status_updated',
  'incoming_thinking_indicator',
  'incoming_typing_indicator',
  'incoming_multicast',
  'events_marked_as_seen',
  'incoming_greeting',
  'greeting_accepted',
  'greeting_canceled',
  'incoming_welcome_message',
  'queue_position_updated',
] as const
export type CustomerPush = (typeof CUSTOMER_PUSHES)[number]

/** The push subscription our SDK sends at login: every push but the always-delivered one. */
export const customerPushSubscription = (version = '3.6'): Record<string, string[]> => ({
  [version]: CUSTOMER_PUSHES.filter((name) => name !== 'customer_disconnected'),
})

/** Agent RTM actions (agent-rtm §2–4; `delete_event` takes the customer side's payload, customer-rtm §5.2). */
export const AGENT_ACTIONS = [
  'login',
  'ping',
  'set_routing_status',
  'set_away_status',
  'list_routing_statuses',
  'update_session',
  'logout',
  'list_chats',
  'list_threads',
  'get_chat',
  'deactivate_chat',
  'transfer_chat',
  'add_user_to_chat',
  'remove_user_from_chat',
  'send_event',
  'delete_event',
  'send_event_preview',
  'send_typing_indicator',
  'send_thinking_indicator',
  'send_rich_message_postback',
  'mark_events_as_seen',
  'update_chat_properties',
  'delete_chat_properties',
  'update_thread_properties',
  'delete_thread_properties',
  'update_event_properties',
  'delete_event_properties',
  'get_customer',
  'multicast',
] as const
export type AgentAction = (typeof AGENT_ACTIONS)[number]

/** Pushes the agent side of the local server sends (agent-rtm §5, the subset a bot needs). */
export const AGENT_PUSHES = [
  'incoming_chat',
  'chat_deactivated',
  'chat_transferred',
  'chat_access_updated',
  'user_added_to_chat',
  'user_removed_from_chat',
  'incoming_event',
  'event_deleted',
  'event_updated',
  'incoming_rich_message_postback',
  'chat_properties_updated',
  'chat_properties_deleted',
  'thread_properties_updated',
  'thread_properties_deleted',
  'event_properties_updated',
  'event_properties_deleted',
  'customer_updated',
  'incoming_sneak_peek',
  'incoming_typing_indicator',
  'incoming_thinking_indicator',
  'events_marked_as_seen',
  'routing_status_set',
  'queue_positions_updated',
  'incoming_multicast',
  'agent_disconnected',
] as const
export type AgentPush = (typeof AGENT_PUSHES)[number]
