// Node-only test tools: a fault-injecting TCP proxy. The local server harness and the chat
// flows over it are in `@rapport/testing/server` (they need `@rapport/server`).
export * from './faultProxy'
