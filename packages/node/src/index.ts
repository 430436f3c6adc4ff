// Rapport in Node: the Node Env and core's client factories on it. Everything else
// (types, ChatError, selectors…) comes from `@rapport/core`.
export * from './nodeEnv'
export * from './fileStorage'
export * from './cookieJar'
export * from './streamUpload'
export * from './clients'
export * from './crm'
export * from './agent/agentTransport'
export * from './agent/agentMethods'
export * from './agent/agentClients'
export * from './agent/webApi'
export * from './agent/webhookReceiver'
export * from './bot'
