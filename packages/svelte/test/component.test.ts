import { flushSync, mount, unmount } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import Orphan from './components/Orphan.svelte'
import Root from './components/Root.svelte'
import { chatPush, createClient, eventPush, flush } from './helpers'

afterEach(() => {
  document.body.innerHTML = ''
})

const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent

describe('a Svelte 5 component', () => {
  it('renders the stores’ values from the context’s client and updates with the chat', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    env.socket.receive(eventPush(1))
    await flush()
    const app = mount(Root, { target: document.body, props: { client, chatId: 'C1' } })
    flushSync()
    expect(text('status')).toBe('connected')
    expect(text('unread')).toBe('1')
    expect([...document.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['message 1 (sent)'])

    env.socket.receive(eventPush(2))
    await flush()
    flushSync()
    expect(text('unread')).toBe('2')
    expect([...document.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['message 1 (sent)', 'message 2 (sent)'])

    env.signal('offline')
    await flush()
    flushSync()
    expect(text('status')).toBe('connected (unstable)')

    await unmount(app)
    // the client is the application's: unmounting leaves it running
    expect(client.connection.getSnapshot().status).toBe('connected')
    client.destroy()
  })

  it('1,000 mount/unmount cycles leave no listener on the client', async () => {
    const { client, env, listeners } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    for (let i = 0; i < 1_000; i++) {
      const app = mount(Root, { target: document.body, props: { client, chatId: 'C1' } })
      flushSync()
      if (i === 0) expect(listeners()).toBe(3) // connection, events and unread: one subscription each
      await unmount(app)
    }
    expect(listeners()).toBe(0)
    expect(document.body.innerHTML).toBe('')
    client.destroy()
  })

  it('getRapportClient() without setRapportClient above says what to do', () => {
    expect(() => mount(Orphan, { target: document.body })).toThrow(/no Rapport client in this component tree\. Call setRapportClient\(client\)/)
  })
})
