/** Helpers every agent action module uses. */
import type { z } from 'zod'
import { agentChat } from '../../domain/access'
import { findChatUser } from '../../domain/chats'
import { notFound } from '../../domain/errors'
import type { ChatRecord, EventRecord, ThreadRecord } from '../../storage/storage'
import { defineAction, type ActionHandler, type RequestContext } from '../actionTable'
import type { AgentSession } from '../connection'
import { RtmError } from '../rtmError'

export type AgentRequest = RequestContext<AgentSession>
export type AgentActionTable = Record<string, ActionHandler<AgentRequest>>

export const action = <Schema extends z.ZodType>(
  schema: Schema,
  handle: (request: AgentRequest, payload: z.output<Schema>) => unknown,
): ActionHandler<AgentRequest> => defineAction<Schema, AgentRequest>(schema, handle)

export const accessibleChat = (request: AgentRequest, chatId: string): ChatRecord =>
  agentChat(request.ctx, request.connection.organizationId, request.session.agent, chatId)

export const chatThread = (request: AgentRequest, chat: ChatRecord, threadId: string): ThreadRecord => {
  const thread = chat.thread_ids.includes(threadId) ? request.ctx.storage.getThread(chat.organization_id, threadId) : undefined
  if (!thread) throw notFound('Thread')
  return thread
}

export const threadEvent = (request: AgentRequest, thread: ThreadRecord, eventId: string): EventRecord => {
  const event = request.ctx.storage.getEvent(thread.organization_id, thread.id, eventId)
  if (!event) throw notFound('Event')
  return event
}

/** `authorization` unless the requester is a present user of the chat (or the request ignores presence). */
export const requirePresence = (request: AgentRequest, chat: ChatRecord, ignore: boolean | undefined): void => {
  if (ignore === true) return
  if (findChatUser(chat, request.session.agent.id)?.present !== true) throw new RtmError('authorization', 'Requester is not present in the chat')
}
