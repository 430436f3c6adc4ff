// Runs anywhere (browsers included). The Node-only fault proxy is in `@rapport/testing/node`.
export * from './arbitraries'
export * from './fakeEnv'
