/** Helpers every customer action module uses. */
import type { z } from 'zod'
import { customerChat } from '../../domain/access'
import { notFound } from '../../domain/errors'
import type { ChatRecord, CustomerRecord, EventRecord, ThreadRecord } from '../../storage/storage'
import { defineAction, type ActionHandler, type RequestContext } from '../actionTable'
import type { CustomerSession } from '../connection'
import { RtmError } from '../rtmError'

export type CustomerRequest = RequestContext<CustomerSession>
export type CustomerActionTable = Record<string, ActionHandler<CustomerRequest>>

export const action = <Schema extends z.ZodType>(
  schema: Schema,
  handle: (request: CustomerRequest, payload: z.output<Schema>) => unknown,
): ActionHandler<CustomerRequest> => defineAction<Schema, CustomerRequest>(schema, handle)

export const requireCustomer = (request: CustomerRequest): CustomerRecord => {
  const customer = request.ctx.storage.getCustomer(request.connection.organizationId, request.session.customerId)
  if (!customer) throw new RtmError('authentication', 'Unknown customer')
  return customer
}

/** The requester's own chat, or `not_found` (someone else's chat is never revealed). */
export const ownChat = (request: CustomerRequest, chatId: string): ChatRecord =>
  customerChat(request.ctx, request.connection.organizationId, request.session.customerId, chatId)

/** A thread of the chat, or `not_found`. */
export const chatThread = (request: CustomerRequest, chat: ChatRecord, threadId: string): ThreadRecord => {
  const thread = chat.thread_ids.includes(threadId) ? request.ctx.storage.getThread(chat.organization_id, threadId) : undefined
  if (!thread) throw notFound('Thread')
  return thread
}

/** An event of the thread the customer can see (not agents-only, not deleted), or `not_found`. */
export const visibleEvent = (request: CustomerRequest, thread: ThreadRecord, eventId: string): EventRecord => {
  const event = request.ctx.storage.getEvent(thread.organization_id, thread.id, eventId)
  if (!event || event.visibility !== 'all' || event.deleted === true) throw notFound('Event')
  return event
}
