/**
 * Errors of the domain: a rule broken by a request, with the documented error type it is
 * answered with (customer-rtm §10, agent-rtm §6). The domain knows nothing of frames; the
 * RTM layer turns a `DomainError` into its wire error (`rtm/rtmError.ts`, in one place).
 * Any other exception is a bug, answered as `internal`.
 */
import { TypedError } from '../util/typedError'

export type DomainErrorType =
  /** The chat, thread, event, agent or URL does not exist — or is not the requester's to see. */
  | 'not_found'
  /** The request is malformed beyond its schema (a bad cursor, a bad property value, …). */
  | 'validation'
  /** The requester may not do this (e.g. write a property namespace it does not own). */
  | 'authorization'
  /** No such greeting of the customer, or no longer pending. */
  | 'greeting_not_found'
  /** No such group. */
  | 'group_not_found'
  /** Nobody in the group accepts chats. */
  | 'group_offline'
  /** The group routes chats manually: no agent can be predicted. */
  | 'group_unavailable'

export class DomainError extends TypedError<DomainErrorType> {}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`)
