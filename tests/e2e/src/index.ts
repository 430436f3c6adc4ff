// The harness of the end-to-end tests, also used by the benchmarks and the chaos soak: the
// local server in-process with restarts and the model-based chat flows, from
// `@rapport/testing/server`.
export * from '@rapport/testing/server'
