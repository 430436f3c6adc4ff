// The echo bot (on core's agent client) stays for the widget's browser tests; the demo bot is on the framework.
export * from './echoBot'
export * from './demoBot'
export * from './faq'
export * from './startDemoBot'
export * from './transcript'
