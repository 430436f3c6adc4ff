import { type PushFrame, isObject, parsePushChecked } from '@rapport/protocol'
import type { Diagnostic } from './diagnostics'
import type { SideStorage } from './customerLogin'
import type { ChatStore } from './state/chatStore'

export interface InboundOptions {
  /** Where pushes are read from (the session's `onPush`); returns the removal. */
  onPush(reader: (push: PushFrame) => void): () => void
  /** Where a dropped push is reported. */
  report(diagnostic: Diagnostic): void
  store: ChatStore
  sideStorage: SideStorage
}

/**
 * The inbound stage: each push becomes the SDK events it stands for and is published to
 * the store, which folds a burst in one commit and emits only what is news. Nothing here
 * reads the state.
 */
export const createCustomerInbound = ({ onPush, store, sideStorage, report }: InboundOptions): (() => void) =>
  onPush((push) => {
    if (push.action === 'customer_side_storage_updated') {
      const storage = isObject(push.payload) ? push.payload.customer_side_storage : undefined
      if (isObject(storage)) sideStorage.write(storage)
      return
    }
    // a push that does not fit its documented shape is dropped and reported, never emitted
    const parsed = parsePushChecked(push.action, push.payload)
    if (parsed.ok) store.publish(parsed.events)
    else report({ type: 'invalid_push', action: push.action, reason: parsed.reason })
  })
