export * from './arbitraries'
export * from './fakeEnv'
