/**
 * The six `*_properties` actions (customer-rtm §5.3, agent-rtm §4), built once for each
 * side from that side's way of finding chats, threads and events and of checking writes.
 */
import type { Properties, PropertyNames } from '@rapport/protocol'
import { deleteProperties, updateProperties, type PropertyTarget } from '../domain/properties'
import type { ChatRecord, EventRecord, ThreadRecord } from '../storage/storage'
import { defineAction, type ActionHandler, type RequestContext } from './actionTable'
import type { Session } from './connection'
import { customerSchemas as s } from './schemas'

export interface PropertyAccess<S extends Session> {
  side: 'customer' | 'agent'
  chat(request: RequestContext<S>, chatId: string): ChatRecord
  thread(request: RequestContext<S>, chat: ChatRecord, threadId: string): ThreadRecord
  event(request: RequestContext<S>, thread: ThreadRecord, eventId: string): EventRecord
  checkUpdate?(request: RequestContext<S>, properties: Properties): void
  checkDelete?(request: RequestContext<S>, properties: PropertyNames): void
}

export const propertyActions = <S extends Session>(access: PropertyAccess<S>): Record<string, ActionHandler<RequestContext<S>>> => {
  const origin = (request: RequestContext<S>) => ({
    side: access.side,
    requester: request.connection,
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
  })
  const update = (request: RequestContext<S>, target: PropertyTarget, properties: Properties): object => {
    access.checkUpdate?.(request, properties)
    request.afterResponse(updateProperties(request.ctx, target, properties, origin(request)))
    return {}
  }
  const remove = (request: RequestContext<S>, target: PropertyTarget, properties: PropertyNames): object => {
    access.checkDelete?.(request, properties)
    request.afterResponse(deleteProperties(request.ctx, target, properties, origin(request)))
    return {}
  }
  const threadTarget = (request: RequestContext<S>, chatId: string, threadId: string): PropertyTarget & { kind: 'thread' } => {
    const chat = access.chat(request, chatId)
    return { kind: 'thread', chat, thread: access.thread(request, chat, threadId) }
  }
  const eventTarget = (request: RequestContext<S>, chatId: string, threadId: string, eventId: string): PropertyTarget => {
    const { chat, thread } = threadTarget(request, chatId, threadId)
    return { kind: 'event', chat, thread, event: access.event(request, thread, eventId) }
  }
  return {
    update_chat_properties: defineAction(s.update_chat_properties, (request: RequestContext<S>, p) =>
      update(request, { kind: 'chat', chat: access.chat(request, p.id) }, p.properties),
    ),
    delete_chat_properties: defineAction(s.delete_chat_properties, (request: RequestContext<S>, p) =>
      remove(request, { kind: 'chat', chat: access.chat(request, p.id) }, p.properties),
    ),
    update_thread_properties: defineAction(s.update_thread_properties, (request: RequestContext<S>, p) =>
      update(request, threadTarget(request, p.chat_id, p.thread_id), p.properties),
    ),
    delete_thread_properties: defineAction(s.delete_thread_properties, (request: RequestContext<S>, p) =>
      remove(request, threadTarget(request, p.chat_id, p.thread_id), p.properties),
    ),
    update_event_properties: defineAction(s.update_event_properties, (request: RequestContext<S>, p) =>
      update(request, eventTarget(request, p.chat_id, p.thread_id, p.event_id), p.properties),
    ),
    delete_event_properties: defineAction(s.delete_event_properties, (request: RequestContext<S>, p) =>
      remove(request, eventTarget(request, p.chat_id, p.thread_id, p.event_id), p.properties),
    ),
  }
}
