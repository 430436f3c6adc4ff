import type { ChatEvent, ChatUser, Customer, Greeting, Thread } from '@rapport/protocol'
import { describe, expectTypeOf, it } from 'vitest'
import type { CustomerSDK } from '../index'

declare const sdk: CustomerSDK

describe('event payload types match the documentation', () => {
  it('connection events', () => {
    sdk.on('connected', (p) => {
      expectTypeOf(p.customer).toEqualTypeOf<Customer>()
      expectTypeOf(p.availability).toEqualTypeOf<'online' | 'offline'>()
      expectTypeOf(p.greeting).toEqualTypeOf<Greeting | undefined>()
    })
    sdk.on('disconnected', (p) => expectTypeOf(p.reason).toBeString())
    sdk.on('connection_unstable', (p) => expectTypeOf(p).toBeVoid())
    sdk.on('connection_recovered', (p) => expectTypeOf(p).toBeVoid())
    sdk.on('customer_id', (id) => expectTypeOf(id).toBeString())
    sdk.on('identity_changed', (p) => expectTypeOf(p).toEqualTypeOf<{ previousId: string; newId: string }>())
    sdk.on('availability_updated', (p) => expectTypeOf(p).toEqualTypeOf<{ availability: 'online' | 'offline' }>())
  })

  it('chat events', () => {
    sdk.on('incoming_chat', (p) => expectTypeOf(p.chat.thread).toEqualTypeOf<Thread | null>())
    sdk.on('chat_deactivated', (p) => expectTypeOf(p).toEqualTypeOf<{ chatId: string }>())
    sdk.on('chat_transferred', (p) => {
      expectTypeOf(p.chatId).toBeString()
      expectTypeOf(p.reason).toBeString()
      expectTypeOf(p.requesterId).toEqualTypeOf<string | undefined>()
      expectTypeOf(p.transferredTo).toEqualTypeOf<{ agentIds?: string[]; groupIds?: number[] }>()
      expectTypeOf(p.queue).toEqualTypeOf<{ position: number; waitTime: number; queuedAt?: string } | null>()
    })
    sdk.on('user_added_to_chat', (p) => {
      expectTypeOf(p.user).toEqualTypeOf<ChatUser>()
      expectTypeOf(p.present).toBeBoolean()
    })
    sdk.on('user_removed_from_chat', (p) => expectTypeOf(p).toEqualTypeOf<{ chatId: string; userId: string; reason?: string }>())
    sdk.on('user_data', (user) => {
      expectTypeOf(user.id).toBeString()
      if (user.type === 'customer') expectTypeOf(user.fields).toEqualTypeOf<Record<string, string>>()
      else expectTypeOf(user.jobTitle).toBeString()
    })
    sdk.on('queue_position_updated', (p) => expectTypeOf(p.queue).toEqualTypeOf<{ position: number; waitTime: number }>())
  })

  it('event events', () => {
    sdk.on('incoming_event', (p) => {
      expectTypeOf(p.chatId).toBeString()
      expectTypeOf(p.event).toEqualTypeOf<ChatEvent>()
      if (p.event.type === 'message') expectTypeOf(p.event.text).toBeString()
      if (p.event.type === 'file') expectTypeOf(p.event.url).toBeString()
    })
    sdk.on('event_updated', (p) => expectTypeOf(p).toEqualTypeOf<{ chatId: string; threadId: string; event: ChatEvent | null }>())
    sdk.on('incoming_event_preview', (p) => expectTypeOf(p.threadId).toBeString())
    sdk.on('events_marked_as_seen', (p) => expectTypeOf(p).toEqualTypeOf<{ chatId: string; userId: string; seenUpTo: string }>())
    sdk.on('incoming_typing_indicator', (p) => expectTypeOf(p.typingIndicator).toEqualTypeOf<{ authorId: string; isTyping: boolean }>())
    sdk.on('incoming_thinking_indicator', (p) => {
      expectTypeOf(p.sentAt).toBeString()
      expectTypeOf(p.title).toEqualTypeOf<string | undefined>()
      expectTypeOf(p.customId).toEqualTypeOf<string | undefined>()
    })
    sdk.on('incoming_rich_message_postback', (p) => {
      expectTypeOf(p.postback.id).toBeString()
      expectTypeOf(p.postback.toggled).toBeBoolean()
    })
    sdk.on('incoming_welcome_message', (p) => expectTypeOf(p).toEqualTypeOf<{ id: string; event: ChatEvent | null }>())
  })

  it('properties, customer and greeting events', () => {
    sdk.on('chat_properties_updated', (p) => expectTypeOf(p.properties).toEqualTypeOf<Record<string, Record<string, unknown>>>())
    sdk.on('chat_properties_deleted', (p) => expectTypeOf(p.properties).toEqualTypeOf<Record<string, string[]>>())
    sdk.on('thread_properties_updated', (p) => expectTypeOf(p.threadId).toBeString())
    sdk.on('thread_properties_deleted', (p) => expectTypeOf(p.properties).toEqualTypeOf<Record<string, string[]>>())
    sdk.on('event_properties_updated', (p) => expectTypeOf(p.eventId).toBeString())
    sdk.on('event_properties_deleted', (p) => expectTypeOf(p.properties).toEqualTypeOf<Record<string, string[]>>())
    sdk.on('customer_updated', (p) => {
      expectTypeOf(p.name).toEqualTypeOf<string | undefined>()
      expectTypeOf(p.fields).toEqualTypeOf<Record<string, string> | undefined>()
    })
    sdk.on('incoming_greeting', (p) => {
      expectTypeOf(p.id).toBeNumber()
      expectTypeOf(p.uniqueId).toBeString()
      expectTypeOf(p.text).toEqualTypeOf<string | undefined>()
      expectTypeOf(p.agent.isBot).toBeBoolean()
    })
    sdk.on('greeting_accepted', (p) => expectTypeOf(p).toEqualTypeOf<{ uniqueId: string }>())
    sdk.on('greeting_canceled', (p) => expectTypeOf(p).toEqualTypeOf<{ uniqueId: string }>())
  })

  it('once() without a listener resolves with the payload type', () => {
    expectTypeOf(sdk.once('customer_id')).toEqualTypeOf<Promise<string>>()
    expectTypeOf(sdk.once('chat_deactivated')).resolves.toEqualTypeOf<{ chatId: string }>()
    // @ts-expect-error an undocumented event name is a type error
    sdk.on('no_such_event', () => {})
  })

  it('methods return the documented shapes', () => {
    expectTypeOf(sdk.getCustomer()).resolves.toEqualTypeOf<Customer>()
    expectTypeOf(sdk.deactivateChat({ id: 'x' })).resolves.toEqualTypeOf<{ success: true }>()
    expectTypeOf(sdk.uploadFile({ file: new Blob() }).cancel).toEqualTypeOf<() => void>()
    expectTypeOf(sdk.setSneakPeek({ chatId: 'x', sneakPeekText: 'y' })).toBeVoid()
  })
})
