import { describe, expectTypeOf, test } from 'vitest'
import {
  parseAgentLogin,
  parseAgentPush,
  type AgentEvent,
  type AgentEventMap,
  type AgentEventName,
  type AgentEventPush,
  type AgentPush,
  type CustomerEventMap,
  type SharedPush,
} from '../index'

describe('AgentEventMap', () => {
  test('one event per agent push but agent_disconnected, plus the connection events', () => {
    expectTypeOf<AgentEventName>().toEqualTypeOf<
      Exclude<AgentPush, 'agent_disconnected'> | 'connected' | 'disconnected' | 'connection_unstable' | 'connection_recovered'
    >()
    expectTypeOf<AgentEventPush>().toEqualTypeOf<Exclude<AgentPush, 'agent_disconnected'>>()
  })

  test('shared pushes have the customer payloads', () => {
    expectTypeOf<Pick<AgentEventMap, SharedPush>>().toEqualTypeOf<Pick<CustomerEventMap, SharedPush>>()
  })

  test('connected carries the parsed login response', () => {
    expectTypeOf(parseAgentLogin).returns.toEqualTypeOf<AgentEventMap['connected']>()
    expectTypeOf<AgentEventMap['connected']['myProfile']>().toHaveProperty('id').toBeString()
    expectTypeOf<AgentEventMap['connected']['myProfile']['type']>().toEqualTypeOf<'agent'>()
  })

  test('parseAgentPush yields tagged events that narrow by type', () => {
    expectTypeOf(parseAgentPush).returns.toEqualTypeOf<AgentEvent[]>()
    const [event] = parseAgentPush('routing_status_set', {})
    if (event?.type === 'routing_status_set') {
      expectTypeOf(event.payload.status).toEqualTypeOf<'accepting_chats' | 'not_accepting_chats' | 'offline'>()
    }
  })
})
