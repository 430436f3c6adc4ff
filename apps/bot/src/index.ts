export * from './echoBot'
export * from './transcript'
