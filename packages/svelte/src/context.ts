import type { CustomerSDK } from '@rapport/customer-sdk'
import { getContext, setContext } from 'svelte'

const KEY = Symbol.for('@rapport/svelte client')

/**
 * Makes `client` available to this component and its descendants (`getRapportClient()`).
 * Call it during component initialisation, usually in the root component. The client is
 * the application's: create it with `init()` and destroy it yourself; no component does.
 */
export function setRapportClient(client: CustomerSDK): void {
  setContext(KEY, client)
}

/** The client set by an ancestor with `setRapportClient`; call it during component initialisation. */
export function getRapportClient(): CustomerSDK {
  const client = getContext<CustomerSDK | undefined>(KEY)
  if (client === undefined) {
    throw new Error(
      'getRapportClient(): no Rapport client in this component tree. Call setRapportClient(client) in an ancestor component (usually the root), with the instance returned by init() of @rapport/customer-sdk.',
    )
  }
  return client
}
