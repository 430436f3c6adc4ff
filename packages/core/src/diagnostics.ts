/**
 * What a client dropped instead of acting on, for debugging a server or a network that
 * misbehaves: never emitted as SDK events, never fatal.
 */
export type Diagnostic =
  | { type: 'undecodable_frame'; length: number }
  | { type: 'invalid_push'; action: string; reason: string }
