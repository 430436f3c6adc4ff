// @rapport/svelte: Svelte stores over the seam of @rapport/customer-sdk (`client.state`,
// `client.connection` and the core selectors). They follow the Svelte store contract, so
// they work with `$store` in components (Svelte 3, 4 and 5), in `.svelte.ts` modules and,
// through `fromStore` (svelte/store), as `.current` with runes.
export { getRapportClient, setRapportClient } from './context.js'
export {
  type ConnectionSource,
  type StateSource,
  availabilityStore,
  chatEventsStore,
  chatListStore,
  connectionStore,
  customerStore,
  greetingStore,
  queuePositionStore,
  selectorStore,
  typingUsersStore,
  unreadCountStore,
  uploadsStore,
} from './stores.js'
