// @vitest-environment happy-dom
import { FakeEnv } from '@rapport/testing'
import { type Component, flushSync, mount, unmount } from 'svelte'
import { type ConnectionSnapshot, type CustomerSDK, type EventEntity, init } from '@rapport/customer-sdk'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { throttleLatest } from '../../lib/throttle'
import Banner from '../Banner.svelte'
import Composer from '../Composer.svelte'
import Message from '../Message.svelte'
import MessageList from '../MessageList.svelte'
import Harness from './Harness.svelte'

const mounted: Array<ReturnType<typeof mount>> = []
afterEach(() => {
  for (const app of mounted.splice(0)) void unmount(app)
  document.body.innerHTML = ''
  vi.useRealTimers()
})

/** Mounts a part of the widget with the widget's contexts (English, default theme). */
const render = <Props extends Record<string, unknown>>(part: Component<Props>, props: Props, client?: CustomerSDK): HTMLElement => {
  const target = document.createElement('div')
  document.body.append(target)
  mounted.push(mount(Harness, { target, props: { part: part as Component<Record<string, unknown>>, props, ...(client && { client }) } }))
  flushSync()
  return target
}

const base = { id: 'E1', authorId: 'agent-1', createdAt: '2026-01-01T10:00:00.000000Z', threadId: 'T1', properties: {}, status: 'sent' } as const
const noop = () => {}

describe('Message', () => {
  const renderEvent = (event: EventEntity, own = false) => render(Message, { event, author: { id: 'agent-1', type: 'agent', name: '<b>Ann</b>', avatar: 'javascript:alert(5)', jobTitle: '', present: true }, own, firstOfGroup: true, onretry: noop, onbutton: noop })

  test('message text and author names are text: markup shows as typed and creates no element', () => {
    const root = renderEvent({ ...base, type: 'message', text: '<img src=x onerror="alert(1)"><script>alert(2)</script> see https://example.com/a.' })
    expect(root.querySelector('.bubble')?.textContent).toBe('<img src=x onerror="alert(1)"><script>alert(2)</script> see https://example.com/a.')
    expect(root.querySelector('.author')?.textContent).toBe('<b>Ann</b>')
    // the avatar URL is not http(s): initials instead of an image
    expect(root.querySelectorAll('img, script, b')).toHaveLength(0)
    const link = root.querySelector('.bubble a')
    expect(link?.getAttribute('href')).toBe('https://example.com/a')
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer')
  })

  test('rich-message fields are text; only http(s) URLs become links or images', () => {
    const onbutton = vi.fn()
    const event: EventEntity = {
      ...base,
      type: 'rich_message',
      template: 'cards',
      elements: [
        {
          title: '<img src=x onerror="alert(1)">',
          subtitle: '<script>alert(2)</script>',
          image: { url: 'javascript:alert(3)', name: 'x' },
          buttons: [
            { text: '<i>Open</i>', type: 'url', value: 'javascript:alert(4)', postbackId: 'p1', userIds: [], role: 'default' },
            { text: 'Docs', type: 'url', value: 'https://example.com/docs', postbackId: 'p2', userIds: [], role: 'default' },
          ],
        },
      ],
    }
    const root = render(Message, { event, author: undefined, own: false, firstOfGroup: true, onretry: noop, onbutton })
    expect(root.querySelector('.title')?.textContent).toBe('<img src=x onerror="alert(1)">')
    expect(root.querySelector('.subtitle')?.textContent).toBe('<script>alert(2)</script>')
    expect(root.querySelectorAll('img, script, i')).toHaveLength(0)
    // the javascript: button is a plain button (a postback), the https one a safe link
    const links = Array.from(root.querySelectorAll('a'))
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([['https://example.com/docs', 'noopener noreferrer', '_blank']])
    const button = Array.from(root.querySelectorAll('button')).find((b) => b.textContent === '<i>Open</i>')
    button?.click()
    expect(onbutton).toHaveBeenCalledWith(event, expect.objectContaining({ postbackId: 'p1' }))
  })

  test('own messages show their delivery status, and a failed one offers Retry', () => {
    const onretry = vi.fn()
    const event: EventEntity = { ...base, type: 'message', text: 'hi', status: 'failed' }
    const root = render(Message, { event, author: undefined, own: true, firstOfGroup: true, onretry, onbutton: noop })
    expect(root.querySelector('li')?.dataset.status).toBe('failed')
    expect(root.querySelector('.status')?.textContent).toContain('Not sent')
    root.querySelector<HTMLButtonElement>('button.retry')?.click()
    expect(onretry).toHaveBeenCalledWith(event)
  })
})

describe('Composer', () => {
  const setup = () => {
    const onsend = vi.fn<(text: string) => void>()
    const ontyping = vi.fn<(text: string) => void>()
    const root = render(Composer, { onsend, onfiles: noop, ontyping })
    const textarea = root.querySelector('textarea') as HTMLTextAreaElement
    const type = (value: string) => {
      textarea.value = value
      textarea.dispatchEvent(new Event('input', { bubbles: true }))
      flushSync()
    }
    const key = (init: KeyboardEventInit) => {
      textarea.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }))
      flushSync()
    }
    return { root, textarea, onsend, ontyping, type, key }
  }

  test('Enter sends the trimmed text and empties the box; Shift+Enter does not send', () => {
    const { textarea, onsend, ontyping, type, key } = setup()
    type('  Hello  ')
    expect(ontyping).toHaveBeenLastCalledWith('  Hello  ')
    key({ key: 'Enter', shiftKey: true })
    expect(onsend).not.toHaveBeenCalled()
    key({ key: 'Enter' })
    expect(onsend).toHaveBeenCalledExactlyOnceWith('Hello')
    expect(textarea.value).toBe('')
    // the agent's preview is cleared with the message sent
    expect(ontyping).toHaveBeenLastCalledWith('')
  })

  test('blank text is not sent, and the send button is disabled until there is text', () => {
    const { root, onsend, type, key } = setup()
    const sendButton = root.querySelector('button[type="submit"]') as HTMLButtonElement
    expect(sendButton.disabled).toBe(true)
    type('   ')
    key({ key: 'Enter' })
    expect(onsend).not.toHaveBeenCalled()
    expect(sendButton.disabled).toBe(true)
    type('ok')
    expect(sendButton.disabled).toBe(false)
    sendButton.click()
    flushSync()
    expect(onsend).toHaveBeenCalledExactlyOnceWith('ok')
  })
})

describe('Banner', () => {
  const bannerText = (connection: Partial<ConnectionSnapshot>) =>
    render(Banner, { connection: { status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null, ...connection } }).querySelector('[data-testid="connection-banner"]')?.textContent ?? null

  test('says reconnecting while waiting and while trying again after a lost session; nothing once connected', () => {
    expect(bannerText({ status: 'connecting' })).toBe('Connecting…')
    expect(bannerText({ status: 'reconnecting', reason: 'connection_lost', nextRetryAt: 1 })).toBe('Connection lost. Reconnecting…')
    expect(bannerText({ status: 'connecting', reason: 'connection_lost' })).toBe('Connection lost. Reconnecting…')
    expect(bannerText({ status: 'connected', unstable: true })).toBe('The connection is unstable…')
    expect(bannerText({ status: 'connected' })).toBeNull()
  })
})

describe('the sneak-peek throttle', () => {
  test('at most one preview per period, always the latest text, nothing when nothing new was typed', () => {
    vi.useFakeTimers()
    const sent: string[] = []
    const peek = throttleLatest((text: string) => sent.push(text), 400)
    // a keystroke every 100 ms
    for (const text of ['W', 'Wh', 'Whe', 'Wher', 'Where']) {
      peek.push(text)
      vi.advanceTimersByTime(100)
    }
    expect(sent).toEqual(['Wher'])
    vi.advanceTimersByTime(300)
    expect(sent).toEqual(['Wher', 'Where'])
    vi.advanceTimersByTime(5_000)
    expect(sent).toEqual(['Wher', 'Where'])
  })

  test('cancel drops the waiting preview', () => {
    vi.useFakeTimers()
    const sent: string[] = []
    const peek = throttleLatest((text: string) => sent.push(text), 400)
    peek.push('secret draft')
    peek.cancel()
    vi.advanceTimersByTime(1_000)
    expect(sent).toEqual([])
  })
})

/** Lets the client's promise chains and notifications run. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('MessageList', () => {
  const loggedIn = async () => {
    const env = new FakeEnv()
    const client = init({ organizationId: 'org', clientId: 'client', environment: env })
    await flush()
    env.socket.open()
    await flush()
    env.socket.respond('login', {
      customer: { id: 'customer-1', type: 'customer', statistics: { chats_count: 1, threads_count: 1, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 } },
      has_active_thread: true,
      chats: [],
      __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0 } } },
    })
    await flush()
    return { env, client }
  }
  const wireEvent = (id: string, createdAt: string, authorId = 'agent-1') => ({ id, type: 'message', text: `text of ${id}`, author_id: authorId, created_at: createdAt })

  test('a day separator before the first event of each day, none between events of one day', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-10T12:00:00Z') })
    const { env, client } = await loggedIn()
    env.socket.receive({
      action: 'incoming_chat',
      type: 'push',
      payload: {
        chat: {
          id: 'C1',
          users: [
            { id: 'customer-1', type: 'customer', present: true },
            { id: 'agent-1', type: 'agent', name: 'Ann', present: true },
          ],
          thread: {
            id: 'T1',
            active: true,
            created_at: '2026-03-01T09:00:00.000000Z',
            properties: {},
            access: {},
            events: [
              wireEvent('E1', '2026-03-01T09:00:00.000000Z'),
              wireEvent('E2', '2026-03-01T09:05:00.000000Z', 'customer-1'),
              wireEvent('E3', '2026-03-09T11:00:00.000000Z'),
              wireEvent('E4', '2026-03-10T08:00:00.000000Z'),
              wireEvent('E5', '2026-03-10T08:01:00.000000Z'),
            ],
          },
          properties: {},
          access: {},
        },
      },
    })
    await flush()
    const root = render(MessageList, { chatId: 'C1', visible: false, onretry: noop, onbutton: noop }, client)
    const rows = Array.from(root.querySelectorAll('ol > li')).map((li) => (li.classList.contains('day') ? `day:${li.textContent?.trim()}` : (li.getAttribute('data-event-id') ?? '?')))
    expect(rows).toEqual([`day:${new Date('2026-03-01T09:00:00Z').toLocaleDateString('en', { weekday: 'long', day: 'numeric', month: 'long' })}`, 'E1', 'E2', 'day:Yesterday', 'E3', 'day:Today', 'E4', 'E5'])
    // the author's name starts each group of that author's messages (a new day starts a new group); E5 follows E4
    expect(Array.from(root.querySelectorAll('li:has(.author)')).map((li) => li.getAttribute('data-event-id'))).toEqual(['E1', 'E3', 'E4'])
    client.destroy()
  })
})
