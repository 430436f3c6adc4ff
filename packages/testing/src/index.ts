// Runs anywhere (browsers included). The Node-only tools (server harness, fault proxy,
// chat flows) are in `@rapport/testing/node`.
export * from './arbitraries'
export * from './fakeEnv'
