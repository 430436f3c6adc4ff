// Node-only test tools: the local server in-process, a fault-injecting TCP proxy and
// model-based chat flows over both.
export * from './serverHarness'
export * from './faultProxy'
export * from './chatFlows'
