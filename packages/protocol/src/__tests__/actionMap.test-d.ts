import { describe, expectTypeOf, test } from 'vitest'
import {
  AGENT_ACTIONS,
  CUSTOMER_ACTIONS,
  buildStartChatPayload,
  parseForm,
  parseUrlInfo,
  parseWelcomeMessage,
  type AgentActionMap,
  type AgentRequest,
  type AgentResponse,
  type CustomerActionMap,
  type CustomerRequest,
  type CustomerResponse,
  type FormResult,
  type UrlInfo,
  type WelcomeMessageResult,
  type WireChat,
  type WireEmpty,
  type WireLoginResponse,
} from '../index'

/** A request function typed by a map, as a client would declare it. */
declare const customerRequest: <A extends keyof CustomerActionMap>(action: A, payload: CustomerRequest<A>) => Promise<CustomerResponse<A>>
declare const agentRequest: <A extends keyof AgentActionMap>(action: A, payload: AgentRequest<A>) => Promise<AgentResponse<A>>

describe('the action maps cover the action lists exactly', () => {
  test('customer', () => {
    expectTypeOf<(typeof CUSTOMER_ACTIONS)[number]>().toEqualTypeOf<keyof CustomerActionMap>()
  })
  test('agent', () => {
    expectTypeOf<(typeof AGENT_ACTIONS)[number]>().toEqualTypeOf<keyof AgentActionMap>()
  })
})

describe('requests and responses are typed per action', () => {
  test('customer', async () => {
    expectTypeOf(await customerRequest('login', { token: 'Bearer x' })).toEqualTypeOf<WireLoginResponse>()
    expectTypeOf(await customerRequest('get_chat', { chat_id: 'C' })).toEqualTypeOf<WireChat>()
    expectTypeOf(await customerRequest('ping', {})).toEqualTypeOf<WireEmpty>()
    expectTypeOf<CustomerResponse<'send_event'>>().toEqualTypeOf<{ event_id: string }>()
    // @ts-expect-error get_chat needs chat_id
    void customerRequest('get_chat', { thread_id: 'T' })
    // @ts-expect-error list_group_statuses needs all: true or group_ids
    void customerRequest('list_group_statuses', {})
    void customerRequest('list_group_statuses', { all: true })
    void customerRequest('list_group_statuses', { group_ids: [1, 2] })
  })

  test('agent', async () => {
    const login = await agentRequest('login', { token: 'Bearer x' })
    expectTypeOf(login.my_profile.id).toBeString()
    expectTypeOf(login.my_profile.type).toEqualTypeOf<'agent'>()
    expectTypeOf(await agentRequest('send_event', { chat_id: 'C', event: { type: 'message', text: 'hi', visibility: 'agents' } })).toEqualTypeOf<{
      event_id: string
    }>()
    expectTypeOf<AgentResponse<'list_routing_statuses'>>().toEqualTypeOf<Array<{ agent_id: string; status: 'accepting_chats' | 'not_accepting_chats' | 'offline' }>>()
    // @ts-expect-error agents write `visibility`, customers `recipients`
    void agentRequest('send_event', { chat_id: 'C', event: { type: 'message', text: 'hi', recipients: 'all' } })
    // @ts-expect-error a group target takes group ids (numbers)
    void agentRequest('transfer_chat', { id: 'C', target: { type: 'group', ids: ['a'] } })
  })
})

describe('parsers take the response types of the map, without a cast', () => {
  test('get_form, get_url_info, request_welcome_message', async () => {
    expectTypeOf(parseForm(await customerRequest('get_form', { group_id: 0, type: 'prechat' }))).toEqualTypeOf<FormResult>()
    expectTypeOf(parseUrlInfo(await customerRequest('get_url_info', { url: 'https://example.com' }))).toEqualTypeOf<UrlInfo>()
    expectTypeOf(parseWelcomeMessage(await customerRequest('request_welcome_message', {}))).toEqualTypeOf<WelcomeMessageResult>()
  })

  test('the start_chat / resume_chat builders write the map request types', () => {
    expectTypeOf(buildStartChatPayload()).toExtend<CustomerRequest<'start_chat'>>()
    expectTypeOf(buildStartChatPayload({ chat: { id: 'C' } })).toExtend<CustomerRequest<'resume_chat'>>()
  })
})
