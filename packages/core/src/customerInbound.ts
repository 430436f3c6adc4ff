import { type PushFrame, isObject, parsePush } from '@rapport/protocol'
import type { Observable, Subscription } from 'rxjs'
import type { SideStorage } from './customerLogin'
import type { ChatStore } from './state/chatStore'

export interface InboundOptions {
  pushes$: Observable<PushFrame>
  store: ChatStore
  sideStorage: SideStorage
}

/**
 * The inbound stage: each push becomes the SDK events it stands for and is published to
 * the store, which folds a burst in one commit and emits only what is news. Nothing here
 * reads the state.
 */
export const createCustomerInbound = ({ pushes$, store, sideStorage }: InboundOptions): Subscription =>
  pushes$.subscribe((push) => {
    if (push.action === 'customer_side_storage_updated') {
      const storage = isObject(push.payload) ? push.payload.customer_side_storage : undefined
      if (isObject(storage)) sideStorage.write(storage)
      return
    }
    try {
      store.publish(parsePush(push.action, push.payload))
    } catch {
      // a push that does not fit its documented shape is dropped, never fatal
    }
  })
