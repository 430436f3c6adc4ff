// @rapport/node/testing: test a bot without a server — a fake agent transport, `botTest`
// to drive a bot in a few lines, and fast-check chat-flow commands for property tests.
export * from './testing/fakeAgentTransport'
export * from './testing/botTest'
export * from './testing/botChatFlow'
