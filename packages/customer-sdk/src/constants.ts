// The constants objects of @livechat/customer-sdk 4.0.2, with the same names, keys and
// values (frozen, as 4.0.2's are). Each is its own module-level value marked pure, so a
// bundle keeps only the ones it imports.

/** `sdk.status` values; 4.0.2's five, plus the two statuses Rapport reports before a first connection. */
export const connectionStatuses = /* @__PURE__ */ Object.freeze({
  CONNECTED: 'connected',
  DESTROYED: 'destroyed',
  DISCONNECTED: 'disconnected',
  PAUSED: 'paused',
  RECONNECTING: 'reconnecting',
  IDLE: 'idle',
  CONNECTING: 'connecting',
} as const)

/** The `type` of a chat event. */
export const eventTypes = /* @__PURE__ */ Object.freeze({
  FILE: 'file',
  FORM: 'form',
  FILLED_FORM: 'filled_form',
  MESSAGE: 'message',
  RICH_MESSAGE: 'rich_message',
  SYSTEM_MESSAGE: 'system_message',
  CUSTOM: 'custom',
} as const)

/** The `reason` of a `disconnected` event that the server gives. */
export const serverDisconnectionReasons = /* @__PURE__ */ Object.freeze({
  ACCESS_TOKEN_EXPIRED: 'access_token_expired',
  CONNECTION_TIMEOUT: 'connection_timeout',
  CUSTOMER_BANNED: 'customer_banned',
  CUSTOMER_TEMPORARILY_BLOCKED: 'customer_temporarily_blocked',
  INACTIVITY_TIMEOUT: 'inactivity_timeout',
  INTERNAL_ERROR: 'internal_error',
  LICENSE_EXPIRED: 'license_expired',
  LICENSE_NOT_FOUND: 'license_not_found',
  MISDIRECTED_CONNECTION: 'misdirected_connection',
  PRODUCT_VERSION_CHANGED: 'product_version_changed',
  SERVICE_TEMPORARILY_UNAVAILABLE: 'service_temporarily_unavailable',
  TOO_MANY_CONNECTIONS: 'too_many_connections',
  TOO_MANY_UNAUTHORIZED_CONNECTIONS: 'too_many_unauthorized_connections',
  UNSUPPORTED_VERSION: 'unsupported_version',
  LOGGED_OUT_REMOTELY: 'logged_out_remotely',
} as const)

/** The `code` of an error a request rejects with when the server refused it. */
export const serverErrorCodes = /* @__PURE__ */ Object.freeze({
  AUTHENTICATION: 'AUTHENTICATION',
  AUTHORIZATION: 'AUTHORIZATION',
  CHAT_ALREADY_ACTIVE: 'CHAT_ALREADY_ACTIVE',
  CHAT_LIMIT_REACHED: 'CHAT_LIMIT_REACHED',
  CUSTOMER_BANNED: 'CUSTOMER_BANNED',
  CUSTOMER_SESSION_FIELDS_LIMIT_REACHED: 'CUSTOMER_SESSION_FIELDS_LIMIT_REACHED',
  ENTITY_TOO_LARGE: 'ENTITY_TOO_LARGE',
  GREETING_NOT_FOUND: 'GREETING_NOT_FOUND',
  GROUP_OFFLINE: 'GROUP_OFFLINE',
  GROUPS_OFFLINE: 'GROUPS_OFFLINE',
  GROUP_NOT_FOUND: 'GROUP_NOT_FOUND',
  GROUP_UNAVAILABLE: 'GROUP_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  LICENSE_EXPIRED: 'LICENSE_EXPIRED',
  MISDIRECTED_REQUEST: 'MISDIRECTED_REQUEST',
  PENDING_REQUESTS_LIMIT_REACHED: 'PENDING_REQUESTS_LIMIT_REACHED',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  USERS_LIMIT_REACHED: 'USERS_LIMIT_REACHED',
  VALIDATION: 'VALIDATION',
  WRONG_PRODUCT_VERSION: 'WRONG_PRODUCT_VERSION',
} as const)

/** The `action` of the server's pushes. */
export const serverPushActions = /* @__PURE__ */ Object.freeze({
  CHAT_DEACTIVATED: 'chat_deactivated',
  CHAT_PROPERTIES_DELETED: 'chat_properties_deleted',
  CHAT_PROPERTIES_UPDATED: 'chat_properties_updated',
  CHAT_TRANSFERRED: 'chat_transferred',
  CUSTOMER_DISCONNECTED: 'customer_disconnected',
  CUSTOMER_PAGE_UPDATED: 'customer_page_updated',
  CUSTOMER_SIDE_STORAGE_UPDATED: 'customer_side_storage_updated',
  CUSTOMER_UPDATED: 'customer_updated',
  EVENT_PROPERTIES_DELETED: 'event_properties_deleted',
  EVENT_PROPERTIES_UPDATED: 'event_properties_updated',
  EVENT_UPDATED: 'event_updated',
  EVENTS_MARKED_AS_SEEN: 'events_marked_as_seen',
  GREETING_ACCEPTED: 'greeting_accepted',
  GREETING_CANCELED: 'greeting_canceled',
  GROUPS_STATUS_UPDATED: 'groups_status_updated',
  INCOMING_CHAT: 'incoming_chat',
  INCOMING_EVENT: 'incoming_event',
  INCOMING_GREETING: 'incoming_greeting',
  INCOMING_MULTICAST: 'incoming_multicast',
  INCOMING_RICH_MESSAGE_POSTBACK: 'incoming_rich_message_postback',
  INCOMING_TYPING_INDICATOR: 'incoming_typing_indicator',
  QUEUE_POSITION_UPDATED: 'queue_position_updated',
  THREAD_PROPERTIES_DELETED: 'thread_properties_deleted',
  THREAD_PROPERTIES_UPDATED: 'thread_properties_updated',
  USER_ADDED_TO_CHAT: 'user_added_to_chat',
  USER_REMOVED_FROM_CHAT: 'user_removed_from_chat',
} as const)

/** The `sortOrder` of `listThreads`. */
export const sortOrders = /* @__PURE__ */ Object.freeze({ ASC: 'asc', DESC: 'desc' } as const)

/** The `type` of a chat user. */
export const userTypes = /* @__PURE__ */ Object.freeze({ AGENT: 'agent', CUSTOMER: 'customer' } as const)
