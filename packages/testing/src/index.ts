export * from './arbitraries'
export * from './fakeEnv'
export * from './serverHarness'
export * from './faultProxy'
