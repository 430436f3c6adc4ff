// The harness of the end-to-end tests, also used by the chaos soak (bench/chaos.ts): the
// local server in-process with restarts, and model-based chat flows over it through the
// fault proxy of `@rapport/testing/node`.
export * from './serverHarness'
export * from './chatFlows'
