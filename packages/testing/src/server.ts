// Node-only tools over the local server (`@rapport/server`, with `@rapport/node`'s clients):
// the server in-process with restarts, and model-based chat flows over it through the
// fault proxy. Both are optional peer dependencies of this package: install them to use
// this entry (`npm i -D @rapport/server @rapport/node fast-check`).
export * from './server/serverHarness'
export * from './server/chatFlows'
