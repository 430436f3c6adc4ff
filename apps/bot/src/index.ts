export * from './demoBot'
export * from './faq'
export * from './startDemoBot'
export * from './transcript'
