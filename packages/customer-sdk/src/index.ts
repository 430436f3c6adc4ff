export { init } from './init'
export type { CustomerSDK, InitConfig } from './init'
export { ChatError } from '@rapport/core'
// the read side every adapter shares: select a slice of `sdk.state`, read it with the named selectors
export {
  activeThread,
  chatEvents,
  chatList,
  currentGreeting,
  getEvent,
  orderToArray,
  pendingUploads,
  queuePosition,
  select,
  typingUserIds,
  typingUsers,
  unreadCount,
} from '@rapport/core'
export type { ChatListItem, ConnectionFailure, ConnectionSnapshot, UploadEntity, EventStatus, Diagnostic, EventEntity, ExternalStore, Selector, ThreadEntity, ChatEntity } from '@rapport/core'
export type { ChatState, ConnectionStatus, CustomerAuth, Token } from '@rapport/core'
// @livechat/customer-sdk 4.0.2's other exports: debug(), the constants objects, the parse helpers
export { debug } from './debug'
export { connectionStatuses, eventTypes, serverDisconnectionReasons, serverErrorCodes, serverPushActions, sortOrders, userTypes } from './constants'
export { parseCustomEvent, parseEvent, parseFile, parseFilledForm, parseForm, parseGreeting, parseMessage, parseRichMessage, parseSystemMessage } from './parse'
// the SDK's data types, named one by one: a bundled declaration turns `export type *` from
// another package into `export *`, which would promise values that do not exist here
export type {
  // what the methods and events carry
  Access,
  Address,
  AgentUser,
  Availability,
  ButtonRole,
  Chat,
  ChatEvent,
  ChatEventType,
  ChatSummary,
  ChatUser,
  ConnectedPayload,
  CustomEvent,
  Customer,
  CustomerStatistics,
  CustomerUser,
  Ecommerce,
  EcommerceOption,
  EventsSeenUpToMap,
  FileEvent,
  FilledFormEvent,
  FormEvent,
  FormField,
  FormResult,
  Greeting,
  ListChatsResult,
  ListThreadsResult,
  LoginChat,
  MessageEvent,
  OutgoingEvent,
  Postback,
  PredictedAgent,
  Properties,
  PropertyNames,
  Queue,
  QueuePosition,
  ResumeChatParams,
  RichMessageButton,
  RichMessageElement,
  RichMessageEvent,
  RichMessageTemplate,
  SessionFields,
  StartChatParams,
  SuccessResult,
  SystemMessageEvent,
  Thread,
  Thumbnail,
  UrlInfo,
  WelcomeMessageResult,
  // the events
  ChatTransferredPayload,
  CustomerEvent,
  CustomerEventMap,
  CustomerEventName,
  CustomerUpdatedPayload,
  DisconnectedPayload,
  UserAddedToChatPayload,
  // errors, reasons, regions
  ClientErrorCode,
  DisconnectReason,
  ErrorCode,
  Region,
  // the requests `request()` sends
  CustomerAction,
  CustomerActionMap,
  // what the parse helpers take
  WireCustomEvent,
  WireEvent,
  WireFileEvent,
  WireFilledFormEvent,
  WireForm,
  WireFormEvent,
  WireFormField,
  WireGreeting,
  WireMessageEvent,
  WireRichMessageEvent,
  WireSystemMessageEvent,
} from '@rapport/protocol'
