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
export type * from '@rapport/protocol'
