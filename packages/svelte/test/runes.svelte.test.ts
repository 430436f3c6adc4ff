import { flushSync } from 'svelte'
import { fromStore } from 'svelte/store'
import { describe, expect, it } from 'vitest'
import { connectionStore, unreadCountStore } from '../src/index'
import { chatPush, createClient, eventPush, flush } from './helpers'

describe('with runes (a .svelte.ts module)', () => {
  it('fromStore(store).current reads the value, and $derived/$effect follow it', async () => {
    const { client, env, listeners } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const seen: number[] = []
    let label = ''
    const cleanup = $effect.root(() => {
      const unread = fromStore(unreadCountStore(client, 'C1'))
      const connection = fromStore(connectionStore(client))
      const summary = $derived(`${connection.current.status}: ${unread.current} unread`)
      $effect(() => {
        seen.push(unread.current)
        label = summary
      })
    })
    flushSync()
    expect(seen).toEqual([0])
    expect(label).toBe('connected: 0 unread')
    env.socket.receive(eventPush(1))
    env.socket.receive(eventPush(2))
    await flush()
    flushSync()
    expect(seen).toEqual([0, 2])
    expect(label).toBe('connected: 2 unread')
    expect(listeners()).toBe(2)
    cleanup()
    await flush() // fromStore lets go of its subscription a microtask after its last reader
    expect(listeners()).toBe(0)
    client.destroy()
  })

  it('.current outside an effect reads the current value each time', async () => {
    const { client, env, listeners } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const unread = fromStore(unreadCountStore(client, 'C1'))
    expect(unread.current).toBe(0)
    env.socket.receive(eventPush(1))
    await flush()
    expect(unread.current).toBe(1)
    expect(listeners()).toBe(0)
    client.destroy()
  })
})
