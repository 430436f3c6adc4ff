/**
 * Limits on what one request may carry (security findings: ten free-text fields accepted
 * ~900 KB each; a forged `page_id` carried its own `limit` of 1 000 000; `file` events
 * delivered `javascript:` and `data:` URLs to agents).
 *
 * - every free-text field has a maximum length (`limits.fields`): one character more is
 *   `validation`, the maximum itself passes; a server's own figures apply to it only;
 * - `page_id`s are signed: a forged or edited one is `validation`, and a signed cursor
 *   still cannot hold a limit above the action's maximum;
 * - URLs in events (a file's `url`, rich-message images and `url`/`webview` buttons) must
 *   be http(s): `javascript:`, `data:`, `vbscript:` are `validation`, on both sides.
 */
import { DEFAULT_FIELD_LIMITS } from '../limits'
import { PageIds } from '../util/paging'
import { describe, expect, it } from 'vitest'
import { chatWithBot, errorOf } from './helpers/flows'
import { ORG, startServer } from './helpers/harness'

const F = DEFAULT_FIELD_LIMITS
const chars = (n: number, unit = 'a'): string => unit.repeat(n)
const url = (n: number): string => `https://example.com/${chars(n - 'https://example.com/'.length)}`

describe('field lengths', () => {
  it('refuses each free-text field one character over its maximum with validation, and accepts the maximum', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { chatId: chat_id, threadId: thread_id } = s
    const event_id = (await s.customer.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'x' } })).event_id
    const token = (await h.token()).access_token

    /** [label, action, payload with the field at `n` characters] */
    const cases: Array<[string, string, (n: number) => Record<string, unknown>, number]> = [
      ['name', 'update_customer', (n) => ({ name: chars(n) }), F.name],
      ['email', 'update_customer', (n) => ({ email: chars(n) }), F.email],
      ['avatar', 'update_customer', (n) => ({ avatar: url(n) }), F.url],
      ['session field value', 'set_customer_session_fields', (n) => ({ session_fields: [{ k: chars(n) }] }), F.sessionFieldValue],
      ['session field key', 'set_customer_session_fields', (n) => ({ session_fields: [{ [chars(n)]: 'v' }] }), F.id],
      ['address', 'update_customer', (n) => ({ address: { city: chars(n) } }), F.shortText],
      ['page url', 'update_customer_page', (n) => ({ url: url(n) }), F.url],
      ['page title', 'update_customer_page', (n) => ({ url: 'https://shop.example/', title: chars(n) }), F.title],
      ['custom_id', 'send_event', (n) => ({ chat_id, event: { type: 'message', text: 'x', custom_id: chars(n) } }), F.id],
      ['property value', 'update_chat_properties', (n) => ({ id: chat_id, properties: { ns: { k: chars(n - 2) } } }), F.propertyValue],
      ['property name', 'update_chat_properties', (n) => ({ id: chat_id, properties: { ns: { [chars(n)]: 1 } } }), F.id],
      ['form answer', 'send_event', (n) => ({ chat_id, event: { type: 'filled_form', form_id: 'f', fields: [{ type: 'question', id: 'q', answer: chars(n - 2) }] } }), F.formAnswer],
      ['form label', 'send_event', (n) => ({ chat_id, event: { type: 'filled_form', form_id: 'f', fields: [{ type: 'name', id: 'n', label: chars(n) }] } }), F.title],
      ['system message text', 'send_event', (n) => ({ chat_id, event: { type: 'system_message', text: chars(n) } }), F.text],
      ['alternative text', 'send_event', (n) => ({ chat_id, event: { type: 'file', url: 'https://cdn.example/a.png', alternative_text: chars(n) } }), F.title],
      ['custom content', 'send_event', (n) => ({ chat_id, event: { type: 'custom', content: chars(n - 2) } }), F.customContent],
      ['rich title', 'send_event', (n) => ({ chat_id, event: { type: 'rich_message', template_id: 'cards', elements: [{ title: chars(n) }] } }), F.title],
      ['rich subtitle', 'send_event', (n) => ({ chat_id, event: { type: 'rich_message', template_id: 'cards', elements: [{ subtitle: chars(n) }] } }), F.text],
      ['button text', 'send_event', (n) => ({ chat_id, event: { type: 'rich_message', template_id: 'cards', elements: [{ buttons: [{ text: chars(n) }] }] } }), F.title],
      ['sneak peek', 'send_sneak_peek', (n) => ({ chat_id, sneak_peek_text: chars(n) }), F.text],
      ['postback value', 'send_rich_message_postback', (n) => ({ chat_id, thread_id, event_id, postback: { id: 'b', toggled: true, button_value: chars(n) } }), F.url],
      ['chat id', 'get_chat', (n) => ({ chat_id: chars(n) }), F.id],
      ['welcome message id', 'request_welcome_message', (n) => ({ id: chars(n) }), F.id],
    ]
    for (const [label, action, payload, max] of cases) {
      expect(await errorOf(s.customer, action, payload(max + 1)), `${label}: ${max + 1} characters`).toBe('validation')
      const atMax = await s.customer.request(action, payload(max))
      const type = atMax.success ? undefined : (atMax.payload as { error: { type: string } }).error.type
      expect(type, `${label}: ${max} characters`).not.toBe('validation')
    }

    // login's own fields, on fresh sockets
    const loginCases: Array<[string, (n: number) => Record<string, unknown>, number]> = [
      ['login name', (n) => ({ customer: { name: chars(n) } }), F.name],
      ['login email', (n) => ({ customer: { email: chars(n) } }), F.email],
      ['login session field', (n) => ({ customer: { session_fields: [{ k: chars(n) }] } }), F.sessionFieldValue],
      ['customer_side_storage', (n) => ({ customer_side_storage: { k: chars(n) } }), F.storageValue],
      ['referrer', (n) => ({ referrer: chars(n) }), F.url],
      ['login page title', (n) => ({ customer_page: { url: 'https://shop.example/', title: chars(n) } }), F.title],
    ]
    for (const [label, extra, max] of loginCases) {
      const socket = await h.open('customer')
      expect(await errorOf(socket, 'login', { token: `Bearer ${token}`, ...extra(max + 1) }), label).toBe('validation')
      await socket.ok('login', { token: `Bearer ${token}`, ...extra(max) })
      socket.close()
    }
    expect(await errorOf(await h.open('customer'), 'login', { token: `Bearer ${chars(F.token + 1)}` })).toBe('validation')

    // the agent side: preview and thinking indicator
    expect(await errorOf(s.bot, 'send_event_preview', { chat_id, event: { type: 'message', text: chars(F.text + 1) } })).toBe('validation')
    expect(await errorOf(s.bot, 'send_thinking_indicator', { chat_id, title: chars(F.title + 1) })).toBe('validation')
    expect(await errorOf(s.bot, 'multicast', { recipients: { agents: { all: true } }, content: chars(F.customContent) })).toBe('validation')
  })

  it('text limits count UTF-8 bytes; message text keeps the platform 16 KB', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    // 'é' is two bytes: 8193 of them are over 16 384 bytes though under 16 384 characters
    expect(await errorOf(s.customer, 'send_sneak_peek', { chat_id: s.chatId, sneak_peek_text: chars(8193, 'é') })).toBe('validation')
    await s.customer.ok('send_sneak_peek', { chat_id: s.chatId, sneak_peek_text: chars(8192, 'é') })
    expect(await errorOf(s.customer, 'send_event', { chat_id: s.chatId, event: { type: 'message', text: chars(16 * 1024 + 1) } })).toBe('validation')
    await s.customer.ok('send_event', { chat_id: s.chatId, event: { type: 'message', text: chars(16 * 1024) } })
  })

  it("a server's own figures (option or environment) apply to it only", async () => {
    const strict = await startServer({ limits: { fields: { name: 10 } } })
    const lenient = await startServer()
    const a = await strict.customer()
    const b = await lenient.customer()
    expect(await errorOf(a.socket, 'update_customer', { name: chars(11) })).toBe('validation')
    await a.socket.ok('update_customer', { name: chars(10) })
    await b.socket.ok('update_customer', { name: chars(11) })
  })
})

describe('page ids', () => {
  it('refuses a forged or edited page_id, and a signed cursor over the action maximum, with validation', async () => {
    const secret = 'page-id-test-secret'
    const h = await startServer({ limits: { pageIdSecret: secret } })
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'one' }] } } })
    for (let i = 0; i < 3; i += 1) {
      await a.socket.ok('deactivate_chat', { id: chat_id })
      await a.socket.ok('resume_chat', { chat: { id: chat_id, thread: { events: [{ type: 'message', text: `again ${i}` }] } } })
    }
    const first = await a.socket.ok<{ next_page_id?: string }>('list_threads', { chat_id, limit: 1 })
    const pageId = first.next_page_id ?? ''
    expect(pageId).toMatch(/^[\w-]+\.[\w-]+$/)
    await a.socket.ok('list_threads', { chat_id, page_id: pageId })

    // the reporter's page id: the cursor's JSON, unsigned, with its own limit
    const forged = Buffer.from(JSON.stringify({ offset: 0, sort_order: 'desc', limit: 1_000_000 })).toString('base64url')
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: forged })).toBe('validation')
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: `${forged}.${pageId.split('.')[1]}` })).toBe('validation')
    // an edited body under a valid signature
    const [body, mac] = pageId.split('.') as [string, string]
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), limit: 1_000_000 })).toString('base64url')
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: `${edited}.${mac}` })).toBe('validation')
    // another server's signature
    const foreign = new PageIds('another-secret').encode({ offset: 0, sort_order: 'desc', limit: 2 })
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: foreign })).toBe('validation')
    // signed with this server's secret, but over the maxima: list_threads 100, list_chats 25 (customer), 100 (agent)
    const signed = new PageIds(secret)
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: signed.encode({ offset: 0, sort_order: 'desc', limit: 101 }) })).toBe('validation')
    expect(await errorOf(a.socket, 'list_threads', { chat_id, page_id: signed.encode({ offset: 0, sort_order: 'desc', min_events_count: 101 }) })).toBe('validation')
    expect(await errorOf(a.socket, 'list_chats', { page_id: signed.encode({ offset: 0, sort_order: 'desc', limit: 26 }) })).toBe('validation')
    await a.socket.ok('list_chats', { page_id: signed.encode({ offset: 0, sort_order: 'desc', limit: 25 }) })
    const bot = await h.agent()
    expect(await errorOf(bot, 'list_chats', { page_id: signed.encode({ offset: 0, sort_order: 'desc', limit: 101 }) })).toBe('validation')
    await bot.ok('list_chats', { page_id: signed.encode({ offset: 0, sort_order: 'desc', limit: 100 }) })
  })

  it('a page id stays valid across a restart of a server with the same secret', async () => {
    const h = await startServer({ limits: { pageIdSecret: 'kept' } })
    const other = await startServer({ limits: { pageIdSecret: 'kept' } })
    const a = await h.customer()
    await a.socket.ok('start_chat', {})
    const page = new PageIds('kept').encode({ offset: 0, sort_order: 'desc', limit: 1 })
    await a.socket.ok('list_chats', { page_id: page })
    const b = await other.customer()
    await b.socket.ok('list_chats', { page_id: page })
  })
})

describe('URLs in events', () => {
  const bad = ['javascript:alert(1)', ' javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '//evil.example/a.png', 'https:']

  it('file events take http(s) URLs only, from customers and agents', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    for (const link of bad) {
      expect(await errorOf(s.customer, 'send_event', { chat_id: s.chatId, event: { type: 'file', url: link } }), link).toBe('validation')
      expect(await errorOf(s.bot, 'send_event', { chat_id: s.chatId, event: { type: 'file', url: link } }), link).toBe('validation')
      expect(
        await errorOf(s.customer, 'start_chat', { chat: { thread: { events: [{ type: 'file', url: link }] } } }),
        `start_chat ${link}`,
      ).toBe('validation')
    }
    await s.customer.ok('send_event', { chat_id: s.chatId, event: { type: 'file', url: 'https://cdn.example/a.png' } })
    await s.bot.ok('send_event', { chat_id: s.chatId, event: { type: 'file', url: 'http://cdn.example/b.pdf' } })
    // nothing with a bad URL ever reached the bot
    await s.bot.sync()
    const files = s.bot.received.filter((f) => f.action === 'incoming_event').map((f) => (f.payload as { event: { url?: string } }).event.url)
    expect(files.filter((u) => u !== undefined)).toEqual(['https://cdn.example/a.png', 'http://cdn.example/b.pdf'])
  })

  it('rich messages: image URLs, url/webview buttons and product images are http(s) only; other buttons keep any value', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const rich = (element: Record<string, unknown>) => ({ chat_id: s.chatId, event: { type: 'rich_message', template_id: 'cards', elements: [element] } })
    for (const link of bad) {
      expect(await errorOf(s.bot, 'send_event', rich({ image: { url: link } })), `image ${link}`).toBe('validation')
      expect(await errorOf(s.bot, 'send_event', rich({ buttons: [{ type: 'url', text: 'Go', value: link }] })), `url button ${link}`).toBe('validation')
      expect(await errorOf(s.bot, 'send_event', rich({ buttons: [{ type: 'webview', text: 'Go', value: link }] })), `webview ${link}`).toBe('validation')
      expect(
        await errorOf(s.bot, 'send_event', rich({ ecommerce: { options: [{ option_id: 'o', image_url: link }] } })),
        `product image ${link}`,
      ).toBe('validation')
    }
    await s.bot.ok('send_event', rich({ image: { url: 'https://cdn.example/i.png' }, buttons: [{ type: 'url', text: 'Go', value: 'https://shop.example/' }] }))
    await s.bot.ok('send_event', rich({ buttons: [{ type: 'phone', text: 'Call', value: '+48 123' }, { type: 'message', text: 'Yes', value: 'yes', postback_id: 'p', user_ids: [] }] }))
  })

  it('a customer avatar is an http(s) URL or empty', async () => {
    const h = await startServer()
    const a = await h.customer()
    expect(await errorOf(a.socket, 'update_customer', { avatar: 'javascript:alert(1)' })).toBe('validation')
    expect(await errorOf(a.socket, 'update_customer', { avatar: 'data:image/svg+xml,<svg onload=alert(1)>' })).toBe('validation')
    await a.socket.ok('update_customer', { avatar: 'https://example.com/a.png' })
    await a.socket.ok('update_customer', { avatar: '' })
  })
})

describe('unused customers', () => {
  it('the sweep deletes customers that never logged in after unusedCustomerTtlMs, with their tokens; used ones stay', async () => {
    const ttl = 60_000
    const h = await startServer({ limits: { unusedCustomerTtlMs: ttl } })
    const unused = await h.token()
    const used = await h.customer()
    const before = h.server.admin.health()
    // too young
    expect(h.server.sweep(Date.now())).toEqual({ customersDeleted: 0 })
    expect(h.server.sweep(Date.now() + ttl + 1_000)).toEqual({ customersDeleted: 1 })
    expect(h.server.admin.health().customers).toBe((before as { customers: number }).customers - 1)
    // the unused customer's token is gone with it; the used customer logs in again
    const socket = await h.open('customer')
    expect(await errorOf(socket, 'login', { token: `Bearer ${unused.access_token}` })).toBe('authentication')
    const again = await h.token(ORG, used.customerId)
    await (await h.open('customer')).ok('login', { token: `Bearer ${again.access_token}` })
    expect(h.server.sweep(Date.now() + ttl + 1_000)).toEqual({ customersDeleted: 0 })
  })

  it('unusedCustomerTtlMs 0 keeps every customer', async () => {
    const h = await startServer({ limits: { unusedCustomerTtlMs: 0 } })
    await h.token()
    expect(h.server.sweep(Date.now() + 365 * 86_400_000)).toEqual({ customersDeleted: 0 })
  })
})
