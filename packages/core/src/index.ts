// The engine's public surface: clients, the seam adapters read (ExternalStore, selectors,
// events), the I/O contract (Env), errors and the pure parts worth testing on their own
// (reducer, machine, retry policy). The store's write side, the transport and the outbox
// stay inside.
export * from './env'
export * from './chatError'
export * from './defaults'
export * from './externalStore'
export * from './connection/connectionMachine'
export * from './connection/retryPolicy'
export * from './connection/heartbeat'
export * from './state/chatReducer'
export * from './state/selectors'
export { type IdOrder, IdTable, emptyTable, tableEntries, orderLast, orderSize, orderToArray, orderValues, orderValuesReversed, tableGet, tableValues } from './state/collections'
export * from './auth/customerAuth'
export * from './customerClient'
export { type ConnectionFailure, type ConnectionSnapshot } from './session'
export * from './agentClient'
export { type CustomerMethods, type GroupStatus } from './customerMethods'
export * from './chatHistory'
export * from './upload'
export * from './events'
export type { Diagnostic } from './diagnostics'
export { type ActionMapShape, type IndirectPushes, type ResultOf, type RtmResult } from './transport/rtmClient'
