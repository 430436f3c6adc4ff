import { describe, expect, test } from 'vitest'
import {
  DISCONNECT_REASON_POLICY,
  LIMITS,
  customerActionUrl,
  customerRtmUrl,
  customerTokenUrl,
  parseAvailability,
  parseChatUser,
  parseCustomer,
  parseEvent,
  parseGreeting,
  parseListChats,
  parseLogin,
  parseSessionFields,
  parseThread,
  policyForLoginError,
  policyForReason,
  policyForTokenError,
  resolveEndpoints,
  validateOutgoingEvent,
} from '../index'
import type {
  WireChatSummary,
  WireCustomer,
  WireDynamicConfig,
  WireEvent,
  WireFileEvent,
  WireGreeting,
  WireLoginResponse,
  WireThread,
  WireUser,
} from '../index'

const T0 = '2024-05-01T10:00:00.000000Z'
const T1 = '2024-05-01T10:00:01.000000Z'
const T2 = '2024-05-02T09:00:00.000000Z'

const statistics = {
  chats_count: 3,
  threads_count: 7,
  visits_count: 12,
  page_views_count: 40,
  greetings_shown_count: 2,
  greetings_accepted_count: 1,
}

const message = (id: string, createdAt: string, text = 'hi'): WireEvent => ({
  id,
  type: 'message',
  text,
  author_id: 'c1',
  created_at: createdAt,
})

describe('customer (sdk-mapping §6.1)', () => {
  test('session_fields array becomes an object, first key of each entry, order kept', () => {
    expect(parseSessionFields([{ plan: 'pro' }, { source: 'ads' }, { plan: 'free' }])).toEqual({ plan: 'free', source: 'ads' })
    expect(Object.keys(parseSessionFields([{ b: '1' }, { a: '2' }]))).toEqual(['b', 'a'])
    expect(parseSessionFields([{ first: 'x', ignored: 'y' }])).toEqual({ first: 'x' })
    expect(parseSessionFields(undefined)).toEqual({})
  })

  test('statistics are camelCased, optional fields only when present, dropped fields gone', () => {
    const wire: WireCustomer = {
      id: 'c1',
      type: 'customer',
      name: 'Jane',
      session_fields: [{ plan: 'pro' }],
      statistics,
      present: true,
      events_seen_up_to: T0,
      omnichannel: { channel: 'web' },
    }
    expect(parseCustomer(wire)).toEqual({
      id: 'c1',
      type: 'customer',
      name: 'Jane',
      sessionFields: { plan: 'pro' },
      statistics: {
        chatsCount: 3,
        threadsCount: 7,
        visitsCount: 12,
        pageViewsCount: 40,
        greetingsShownCount: 2,
        greetingsAcceptedCount: 1,
      },
    })
    expect(parseCustomer(wire)).not.toHaveProperty('email')
  })

  test('extras: emailVerified, phoneNumber, address.postalCode', () => {
    const customer = parseCustomer({
      id: 'c1',
      type: 'customer',
      statistics,
      email_verified: true,
      phone_number: '+48123456789',
      address: { city: 'Wrocław', postal_code: '50-001' },
    })
    expect(customer).toMatchObject({ emailVerified: true, phoneNumber: '+48123456789', address: { city: 'Wrocław', postalCode: '50-001' } })
  })
})

describe('chat users (sdk-mapping §6.2)', () => {
  test('agent: job_title → jobTitle, present kept, events_seen_up_to dropped', () => {
    const agent: WireUser = {
      id: 'agent@example.com',
      type: 'agent',
      name: 'Ann',
      avatar: 'https://cdn/a.png',
      job_title: 'Support Hero',
      present: true,
      events_seen_up_to: T0,
    }
    expect(parseChatUser(agent)).toEqual({
      id: 'agent@example.com',
      type: 'agent',
      name: 'Ann',
      avatar: 'https://cdn/a.png',
      jobTitle: 'Support Hero',
      present: true,
    })
  })

  test('agent without avatar/job title gets empty strings; customer gets sessionFields {}', () => {
    expect(parseChatUser({ id: 'a', type: 'agent', name: 'Bot' })).toEqual({
      id: 'a',
      type: 'agent',
      name: 'Bot',
      avatar: '',
      jobTitle: '',
      present: false,
    })
    expect(parseChatUser({ id: 'c', type: 'customer', present: true })).toEqual({
      id: 'c',
      type: 'customer',
      sessionFields: {},
      present: true,
    })
  })
})

describe('events (sdk-mapping §6.10)', () => {
  const image = (width: number, height: number): WireFileEvent => ({
    id: 'E_1',
    type: 'file',
    author_id: 'c1',
    created_at: T0,
    url: 'https://cdn/f.png',
    name: 'f.png',
    content_type: 'image/png',
    size: 1234,
    width,
    height,
    thumbnail_url: 'https://cdn/t.png',
    thumbnail2x_url: 'https://cdn/t2.png',
    alternative_text: 'a cat',
  })

  test('image thumbnails are scaled: 640x480 → default 300x225, high 600x450', () => {
    expect(parseEvent(image(640, 480), 'T')).toEqual({
      id: 'E_1',
      type: 'file',
      authorId: 'c1',
      createdAt: T0,
      threadId: 'T',
      properties: {},
      url: 'https://cdn/f.png',
      name: 'f.png',
      contentType: 'image/png',
      width: 640,
      height: 480,
      alternativeText: 'a cat',
      thumbnails: {
        default: { url: 'https://cdn/t.png', width: 300, height: 225 },
        high: { url: 'https://cdn/t2.png', width: 600, height: 450 },
      },
    })
  })

  test('portrait images scale the height; rounding is ceil', () => {
    const event = parseEvent(image(480, 640), 'T')
    expect(event).toMatchObject({ thumbnails: { default: { width: 225, height: 300 }, high: { width: 450, height: 600 } } })
    expect(parseEvent(image(1000, 333), 'T')).toMatchObject({
      thumbnails: { default: { width: 300, height: 100 }, high: { width: 600, height: 200 } },
    })
  })

  test('a small image is never enlarged', () => {
    expect(parseEvent(image(120, 80), 'T')).toMatchObject({
      thumbnails: { default: { width: 120, height: 80 }, high: { width: 120, height: 80 } },
    })
    expect(parseEvent(image(400, 100), 'T')).toMatchObject({
      thumbnails: { default: { width: 300, height: 75 }, high: { width: 400, height: 100 } },
    })
  })

  test('a non-image file has no thumbnails, width or height; size is dropped', () => {
    const event = parseEvent(
      { id: 'E_2', type: 'file', author_id: 'c1', created_at: T0, url: 'https://cdn/r.pdf', name: 'r.pdf', content_type: 'application/pdf', size: 9 },
      'T',
    )
    expect(event).toEqual({
      id: 'E_2',
      type: 'file',
      authorId: 'c1',
      createdAt: T0,
      threadId: 'T',
      properties: {},
      url: 'https://cdn/r.pdf',
      name: 'r.pdf',
      contentType: 'application/pdf',
    })
  })

  test('rich message with an unknown template → null', () => {
    const rich = { id: 'E_3', type: 'rich_message', author_id: 'a', created_at: T0, template_id: 'carousel', elements: [] }
    expect(parseEvent(rich as unknown as WireEvent, 'T')).toBeNull()
    expect(parseEvent({ ...rich, template_id: 'cards' } as unknown as WireEvent, 'T')).toMatchObject({ template: 'cards', elements: [] })
  })

  test('rich message button defaults: role default, missing type keeps no type', () => {
    const event = parseEvent(
      {
        id: 'E_4',
        type: 'rich_message',
        author_id: 'a',
        created_at: T0,
        template_id: 'quick_replies',
        elements: [{ title: 'Pick', buttons: [{ text: 'Yes', type: 'message', value: 'yes', postback_id: 'p1', user_ids: [] }, { text: 'Info', postback_id: 'p2', user_ids: ['c1'] }] }],
      },
      'T',
    )
    expect(event).toMatchObject({
      elements: [
        {
          title: 'Pick',
          buttons: [
            { type: 'message', text: 'Yes', value: 'yes', postbackId: 'p1', userIds: [], role: 'default' },
            { text: 'Info', postbackId: 'p2', userIds: ['c1'], role: 'default' },
          ],
        },
      ],
    })
  })

  test('unknown event type (3.6 `system`) → null and dropped from threads', () => {
    const system = { id: 'S_1', type: 'system', created_at: T1, source: 'chat_router', subtype: 'x', version: '1', details: '{}' } as WireEvent
    expect(parseEvent(system, 'T')).toBeNull()
    const thread: WireThread = {
      id: 'T',
      active: true,
      user_ids: ['c1'],
      events: [message('T_1', T0), system, message('T_2', T2)],
      created_at: T0,
    }
    const parsed = parseThread(thread, 'CHAT')
    expect(parsed.events.map((e) => e.id)).toEqual(['T_1', 'T_2'])
    expect(parsed).toMatchObject({
      chatId: 'CHAT',
      access: {},
      properties: {},
      previousThreadId: null,
      nextThreadId: null,
      queue: null,
    })
  })

  test('form and system_message are authored by system; filled_form group_chooser answer gets groupId', () => {
    expect(parseEvent({ id: 'F', type: 'form', author_id: 'x', created_at: T0, form_id: 'f', fields: [] }, 'T')?.authorId).toBe('system')
    expect(
      parseEvent({ id: 'S', type: 'system_message', created_at: T0, text: 'Chat rated', system_message_type: 'rating.chat_rated' }, 'T'),
    ).toMatchObject({ authorId: 'system', systemMessageType: 'rating.chat_rated' })
    const filled = parseEvent(
      {
        id: 'FF',
        type: 'filled_form',
        author_id: 'c1',
        created_at: T0,
        form_id: 'f',
        form_type: 'prechat',
        fields: [{ type: 'group_chooser', id: 'g', label: 'Dept', answer: { id: '1', group_id: 4, label: 'Sales' } }],
      },
      'T',
    )
    expect(filled).toMatchObject({ formType: 'prechat', fields: [{ answer: { id: '1', groupId: 4, label: 'Sales' } }] })
    expect((filled as { fields: Array<{ answer: object }> }).fields[0]?.answer).not.toHaveProperty('group_id')
  })

  test('message postback is kept as {id, threadId, eventId, type, value}', () => {
    const event = parseEvent(
      { ...message('M', T0), postback: { id: 'p', thread_id: 'T0', event_id: 'T0_1', type: 'message', value: 'yes' } } as WireEvent,
      'T',
    )
    expect(event).toMatchObject({ postback: { id: 'p', threadId: 'T0', eventId: 'T0_1', type: 'message', value: 'yes' } })
  })
})

describe('list_chats (sdk-mapping §6.5)', () => {
  const customer: WireUser = { id: 'c1', type: 'customer', present: true, events_seen_up_to: T1 }
  const agent: WireUser = { id: 'a@x.io', type: 'agent', name: 'Ann', present: false }

  test('lastEvent is the newest by thread_created_at across threads, then created_at within a thread', () => {
    const summary: WireChatSummary = {
      id: 'CHAT1',
      active: true,
      users: [customer, agent],
      last_thread_id: 'TNEW',
      last_thread_created_at: T2,
      last_event_per_type: {
        // older thread, later event time: loses to the newer thread
        message: { thread_id: 'TOLD', thread_created_at: T0, event: message('TOLD_9', '2024-06-01T00:00:00.000000Z', 'old') },
        file: {
          thread_id: 'TNEW',
          thread_created_at: T2,
          event: { id: 'TNEW_1', type: 'file', author_id: 'c1', created_at: '2024-05-02T09:00:01.000000Z', url: 'u', name: 'n', content_type: 'text/plain' },
        },
        system_message: {
          thread_id: 'TNEW',
          thread_created_at: T2,
          event: { id: 'TNEW_2', type: 'system_message', created_at: '2024-05-02T09:00:05.000000Z', text: 'x', system_message_type: 'routing.assigned' },
        },
      },
    }
    const { chatsSummary } = parseListChats({ chats_summary: [summary], total_chats: 1 })
    const parsed = chatsSummary[0]
    expect(parsed?.lastEvent).toMatchObject({ id: 'TNEW_2', threadId: 'TNEW', type: 'system_message' })
    expect(parsed?.lastEventsPerType?.message).toMatchObject({ id: 'TOLD_9', threadId: 'TOLD', text: 'old' })
    expect(parsed?.lastEventsPerType?.file).toMatchObject({ id: 'TNEW_1', threadId: 'TNEW' })
    expect(parsed).toMatchObject({
      id: 'CHAT1',
      active: true,
      lastThreadId: 'TNEW',
      lastThreadCreatedAt: T2,
      eventsSeenUpToMap: { c1: T1, 'a@x.io': null },
      properties: {},
      access: {},
    })
  })

  test('a summary without last_event_per_type has neither lastEventsPerType nor lastEvent', () => {
    const { chatsSummary } = parseListChats({ chats_summary: [{ id: 'C', users: [] }], total_chats: 1 })
    expect(chatsSummary[0]).toEqual({
      id: 'C',
      active: false,
      access: {},
      properties: {},
      users: [],
      lastThreadId: null,
      lastThreadCreatedAt: null,
      eventsSeenUpToMap: {},
    })
  })

  test('users are de-duplicated by id across summaries; page ids default to null', () => {
    const result = parseListChats({
      chats_summary: [
        { id: 'C1', users: [customer, agent] },
        { id: 'C2', users: [customer, { id: 'b@x.io', type: 'agent', name: 'Bob' }] },
      ],
      total_chats: 2,
      next_page_id: 'next',
    })
    expect(result.users.map((u) => u.id)).toEqual(['c1', 'a@x.io', 'b@x.io'])
    expect(result).toMatchObject({ totalChats: 2, nextPageId: 'next', previousPageId: null })
  })
})

describe('login (sdk-mapping §6.6, §6.11)', () => {
  const config = (online?: number[]): WireDynamicConfig => ({
    customer_groups: { monitoring: { id: 2 } },
    ...(online && { online_groups_ids: online }),
  })

  test('availability: missing online_groups_ids → offline; monitoring id in the list → online', () => {
    expect(parseAvailability(config())).toBe('offline')
    expect(parseAvailability(config([0, 2]))).toBe('online')
    expect(parseAvailability(config([0, 1]))).toBe('offline')
    expect(parseAvailability(config([]))).toBe('offline')
    expect(parseAvailability(undefined)).toBe('offline')
  })

  const greeting: WireGreeting = {
    id: 17,
    unique_id: 'u-1',
    displayed_first_time: true,
    is_exit_intent: false,
    event: message('G_1', T0, 'Hello there!'),
    agent: { id: 'a@x.io', name: 'Ann', job_title: 'Sales' },
  }

  test('greeting defaults: accepted false, subtype greeting, addon null, text from the event, threadId null', () => {
    const parsed = parseGreeting(greeting)
    expect(parsed).toMatchObject({
      id: 17,
      uniqueId: 'u-1',
      displayedFirstTime: true,
      accepted: false,
      subtype: 'greeting',
      addon: null,
      text: 'Hello there!',
      event: { id: 'G_1', type: 'message', text: 'Hello there!', threadId: null },
      agent: { id: 'a@x.io', name: 'Ann', avatar: '', jobTitle: 'Sales', isBot: false },
    })
    expect(parsed).not.toHaveProperty('isExitIntent')
    expect(parseGreeting({ ...greeting, accepted: true, subtype: 'announcement', addon: 'email' })).toMatchObject({
      accepted: true,
      subtype: 'announcement',
      addon: 'email',
    })
  })

  test('login chats: per-chat has_active_thread, else the top-level flag', () => {
    const response: WireLoginResponse = {
      customer: { id: 'c1', type: 'customer', statistics },
      has_active_thread: true,
      chats: [
        { chat_id: 'A', has_unread_events: true },
        { chat_id: 'B', has_unread_events: false, has_active_thread: false },
      ],
      greeting,
      __priv_dynamic_config: config([2]),
    }
    const { connected, chats } = parseLogin(response)
    expect(chats).toEqual([
      { id: 'A', active: true, hasUnreadEvents: true },
      { id: 'B', active: false, hasUnreadEvents: false },
    ])
    expect(connected.availability).toBe('online')
    expect(connected.customer.statistics.chatsCount).toBe(3)
    expect(connected.greeting?.uniqueId).toBe('u-1')
    expect(parseLogin({ ...response, has_active_thread: false, greeting: undefined }).chats[0]?.active).toBe(false)
    expect(parseLogin({ ...response, greeting: undefined }).connected).not.toHaveProperty('greeting')
  })
})

describe('disconnect reasons (customer-rtm §8)', () => {
  test.each([
    ['access_token_expired', 'refreshToken', true],
    ['access_token_revoked', 'refreshToken', true],
    ['connection_evicted', 'reconnect', true],
    ['connection_timeout', 'reconnect', true],
    ['internal_error', 'reconnect', true],
    ['service_temporarily_unavailable', 'reconnect', false],
    ['too_many_unauthorized_connections', 'reconnect', false],
    ['misdirected_connection', 'reconnectToRegion', true],
    ['license_not_found', 'destroy', true],
    ['license_expired', 'destroy', true],
    ['unsupported_version', 'destroy', true],
    ['too_many_connections', 'destroy', true],
    ['logged_out_remotely', 'destroy', true],
    ['customer_banned', 'destroy', true],
    ['customer_temporarily_blocked', 'destroy', true],
    ['product_version_changed', 'destroy', true],
    ['inactivity_timeout', 'pause', true],
    ['users_limit_reached', 'pause', true],
    ['some_future_reason', 'reconnect', true],
  ] as const)('%s → %s (emit %s)', (reason, action, emit) => {
    expect(policyForReason(reason)).toMatchObject({ action, emit })
  })

  test('service_temporarily_unavailable uses the slow backoff', () => {
    expect(policyForReason('service_temporarily_unavailable').backoff).toBe('slow')
  })

  test('every pushed reason of the table has a policy', () => {
    for (const reason of Object.keys(DISCONNECT_REASON_POLICY)) expect(policyForReason(reason)).toBeDefined()
  })
})

describe('login errors (sdk-mapping §4.2) and token errors (http.md)', () => {
  test('authentication → refresh the token, silently', () => {
    expect(policyForLoginError('authentication')).toMatchObject({ action: 'refreshToken', emit: false })
  })

  test('users_limit_reached → pause with a disconnected event', () => {
    expect(policyForLoginError('users_limit_reached')).toEqual({ action: 'pause', emit: true, reason: 'users_limit_reached' })
  })

  test.each(['customer_banned', 'wrong_product_version'] as const)('%s → destroy with that reason', (type) => {
    expect(policyForLoginError(type)).toEqual({ action: 'destroy', emit: true, reason: type })
  })

  test('service unavailable → slow backoff reconnect', () => {
    expect(policyForLoginError('service_unavailable')).toMatchObject({ action: 'reconnect', emit: false, backoff: 'slow' })
  })

  test.each(['request_timeout', 'internal', 'validation', 'too_many_requests', 'pending_requests_limit_reached'] as const)(
    '%s → reconnect with the login backoff, no event',
    (type) => {
      const policy = policyForLoginError(type)
      expect(policy).toEqual({ action: 'reconnect', emit: false, reason: type })
    },
  )

  test('license_expired at login stops like the push of the same name ([REC] customer-rtm §8)', () => {
    expect(policyForLoginError('license_expired')).toMatchObject({ action: 'destroy', emit: true })
  })

  test.each(['server_error', 'temporarily_unavailable'])('token exception %s → retry', (exception) => {
    expect(policyForTokenError(exception)).toEqual({ action: 'reconnect', emit: false, reason: exception })
  })

  test.each(['unauthorized', 'access_denied', 'invalid_request'])('token exception %s → destroy with it as the reason', (exception) => {
    expect(policyForTokenError(exception)).toEqual({ action: 'destroy', emit: true, reason: exception })
  })
})

describe('validateOutgoingEvent', () => {
  test('message text limit is 16 KB of UTF-8', () => {
    expect(LIMITS.messageTextBytes).toBe(16384)
    expect(validateOutgoingEvent({ type: 'message', text: 'a'.repeat(16384) })).toBeNull()
    expect(validateOutgoingEvent({ type: 'message', text: 'a'.repeat(16385) })).toMatch(/16384 bytes/)
  })

  test('multi-byte text is counted in bytes, not characters', () => {
    expect(validateOutgoingEvent({ type: 'message', text: 'é'.repeat(8192) })).toBeNull() // 16384 bytes
    expect(validateOutgoingEvent({ type: 'message', text: 'é'.repeat(8193) })).not.toBeNull() // 16386 bytes, 8193 chars
    expect(validateOutgoingEvent({ type: 'message', text: '😀'.repeat(4096) })).toBeNull()
    expect(validateOutgoingEvent({ type: 'message', text: '😀'.repeat(4097) })).not.toBeNull()
    expect(validateOutgoingEvent({ type: 'message', text: `${'a'.repeat(16383)}€` })).not.toBeNull()
    // at 3 bytes a unit, the length alone tells: 5461 × 3 = 16383 bytes, 5462 × 3 = 16386
    expect(validateOutgoingEvent({ type: 'message', text: '€'.repeat(5461) })).toBeNull()
    expect(validateOutgoingEvent({ type: 'message', text: '€'.repeat(5462) })).not.toBeNull()
  })

  test.each(['rich_message', 'form', 'system', 'typing', undefined])('type %s cannot be sent', (type) => {
    expect(validateOutgoingEvent({ type, text: 'x' })).toMatch(/cannot be sent/)
  })

  test('the sendable types and their required fields', () => {
    expect(validateOutgoingEvent({ type: 'file', url: 'https://cdn/f' })).toBeNull()
    expect(validateOutgoingEvent({ type: 'file', url: '' })).not.toBeNull()
    expect(validateOutgoingEvent({ type: 'filled_form', formId: 'f', fields: [] })).toBeNull()
    expect(validateOutgoingEvent({ type: 'filled_form', formId: 'f' })).not.toBeNull()
    expect(validateOutgoingEvent({ type: 'system_message', text: 'x' })).toBeNull()
    expect(validateOutgoingEvent({ type: 'custom' })).toBeNull()
    expect(validateOutgoingEvent({ type: 'message', text: 1 })).not.toBeNull()
    expect(validateOutgoingEvent({ type: 'custom', customId: 5 })).not.toBeNull()
    expect(validateOutgoingEvent(null)).not.toBeNull()
  })
})

describe('endpoints (customer-rtm §2.1, http.md §1)', () => {
  const org = '3b2a1f0e-1111-4222-8333-944455556666'

  test('production without region', () => {
    const endpoints = resolveEndpoints({ organizationId: org })
    expect(endpoints).toEqual({ api: 'https://api.livechatinc.com', accounts: 'https://accounts.livechatinc.com' })
    expect(customerRtmUrl(endpoints, org)).toBe(`wss://api.livechatinc.com/v3.6/customer/rtm/ws?organization_id=${org}`)
  })

  test('region fra', () => {
    const endpoints = resolveEndpoints({ organizationId: org, region: 'fra' })
    expect(endpoints.api).toBe('https://api-fra.livechatinc.com')
    expect(endpoints.accounts).toBe('https://accounts.livechatinc.com')
    expect(customerRtmUrl(endpoints, org)).toBe(`wss://api-fra.livechatinc.com/v3.6/customer/rtm/ws?organization_id=${org}`)
  })

  test('env labs (with and without region)', () => {
    expect(resolveEndpoints({ organizationId: org, env: 'labs' })).toEqual({
      api: 'https://api.labs.livechatinc.com',
      accounts: 'https://accounts.labs.livechatinc.com',
    })
    expect(resolveEndpoints({ organizationId: org, env: 'labs', region: 'dal' }).api).toBe('https://api-dal.labs.livechatinc.com')
  })

  test("LiveChat's own organization always uses staging", () => {
    expect(resolveEndpoints({ organizationId: 'feaf6c0e-9f43-48ff-9ad0-8e24e0350932' }).api).toBe('https://api.staging.livechatinc.com')
  })

  test('serverUrl http://localhost:8080 replaces both origins; the socket uses ws://', () => {
    const endpoints = resolveEndpoints({ organizationId: org, serverUrl: 'http://localhost:8080/', region: 'fra', env: 'labs' })
    expect(endpoints).toEqual({ api: 'http://localhost:8080', accounts: 'http://localhost:8080' })
    expect(customerRtmUrl(endpoints, org)).toBe(`ws://localhost:8080/v3.6/customer/rtm/ws?organization_id=${org}`)
    expect(customerActionUrl(endpoints, 'upload_file', org)).toBe(
      `http://localhost:8080/v3.6/customer/action/upload_file?organization_id=${org}`,
    )
    expect(customerRtmUrl(resolveEndpoints({ organizationId: org, serverUrl: 'https://chat.example.com' }), org)).toMatch(
      /^wss:\/\/chat\.example\.com\/v3\.6\/customer\/rtm\/ws\?/,
    )
  })

  test('the organization id is URL-encoded', () => {
    expect(customerRtmUrl(resolveEndpoints({ organizationId: 'a b&c' }), 'a b&c')).toMatch(/organization_id=a%20b%26c$/)
  })

  test('token URL: plain, and per group with uniqueGroups', () => {
    const endpoints = resolveEndpoints({ organizationId: org })
    expect(customerTokenUrl(endpoints, { organizationId: org })).toBe('https://accounts.livechatinc.com/v2/customer/token')
    expect(customerTokenUrl(endpoints, { organizationId: org, uniqueGroups: true, groupId: 7 })).toBe(
      `https://accounts.livechatinc.com/v2/customer/${org}/7/token`,
    )
    expect(customerTokenUrl(endpoints, { organizationId: org, uniqueGroups: true })).toBe(
      `https://accounts.livechatinc.com/v2/customer/${org}/0/token`,
    )
    expect(customerTokenUrl(endpoints, { organizationId: org, uniqueGroups: false, groupId: 7 })).toBe(
      'https://accounts.livechatinc.com/v2/customer/token',
    )
  })
})
