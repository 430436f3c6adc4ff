// Node-only test tools: a fault-injecting TCP proxy. The local server harness and the
// chat flows over it live in the private end-to-end project (tests/e2e, `@rapport/e2e`),
// so that this published package depends on no private app.
export * from './faultProxy'
