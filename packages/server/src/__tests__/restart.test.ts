import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SqliteStorage } from '../storage/sqliteStorage'
import { BOT, ORG, startServer } from './helpers/harness'

const tempDir = mkdtempSync(join(tmpdir(), 'rapport-restart-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))

/** A chat as an agent sees it, without the customer's `present` (whether it is connected now). */
const withoutPresence = (chat: Record<string, unknown>): Record<string, unknown> => ({
  ...chat,
  users: (chat.users as Array<Record<string, unknown>>).map(({ present, ...user }) => (user.type === 'customer' ? user : { ...user, present })),
})

interface ChatStarted {
  chat_id: string
  thread_id: string
  event_ids: string[]
}

describe('restart with SQLite storage', () => {
  it('keeps customers, chats, threads, events, properties, greetings, files and tokens across a restart', async () => {
    const path = join(tempDir, 'data', 'rapport.sqlite')

    // ── first server ─────────────────────────────────────────────────────────
    const storage1 = new SqliteStorage(path)
    const h1 = await startServer({ storage: storage1 })
    const bot = await h1.agent(BOT.id)
    const issued = await h1.token()
    const a = await h1.open('customer')
    await a.ok('login', { token: `Bearer ${issued.access_token}`, customer_page: { url: 'https://shop.example/a', title: 'A' } })
    const customerId = issued.entity_id

    const started = await a.ok<ChatStarted>('start_chat', {
      chat: { properties: { source: { type: 'widget' } }, thread: { events: [{ type: 'message', text: 'Hello', custom_id: 'c-1' }] } },
    })
    const { chat_id } = started
    const firstThread = started.thread_id
    const sent = await a.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'Second', custom_id: 'c-2' } })
    await bot.ok('send_event', { chat_id, event: { type: 'message', text: 'Hi from the bot' } })
    await a.ok('update_chat_properties', { id: chat_id, properties: { rating: { score: 1 } } })
    await a.ok('update_thread_properties', { chat_id, thread_id: firstThread, properties: { custom: { tag: 'x' } } })
    await a.ok('update_event_properties', { chat_id, thread_id: firstThread, event_id: sent.event_id, properties: { custom: { flag: true } } })
    await a.ok('update_customer', { name: 'Ann', email: 'ann@example.com' })
    await a.ok('set_customer_session_fields', { session_fields: [{ plan: 'pro' }] })
    await a.ok('mark_events_as_seen', { chat_id, seen_up_to: '2099-01-01T00:00:00.000000Z' })

    const form = new FormData()
    form.append('file', new Blob([new TextEncoder().encode('persisted bytes')], { type: 'text/plain' }), 'notes.txt')
    const uploaded = await fetch(`${h1.server.url}/v3.6/customer/action/upload_file?organization_id=${ORG}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issued.access_token}` },
      body: form,
    })
    const fileUrl = ((await uploaded.json()) as { url: string }).url
    await a.ok('send_event', { chat_id, event: { type: 'file', url: fileUrl } })

    await a.ok('deactivate_chat', { id: chat_id })
    const resumed = await a.ok<{ thread_id: string }>('resume_chat', {
      chat: { id: chat_id, thread: { events: [{ type: 'message', text: 'Back again' }] } },
    })
    const greeting = h1.server.admin.sendGreeting(customerId, { text: 'Need help?' })
    await a.push('incoming_greeting')
    h1.server.admin.setLicenseExpired('c0c0c0c0-0000-4000-8000-00000000dead')

    const before = {
      chat: await a.ok('get_chat', { chat_id }),
      firstThread: await a.ok('get_chat', { chat_id, thread_id: firstThread }),
      chats: await a.ok('list_chats', {}),
      threads: await a.ok('list_threads', { chat_id }),
      customer: await a.ok<Record<string, unknown>>('get_customer'),
      botView: await bot.ok('get_chat', { chat_id, thread_id: resumed.thread_id }),
    }
    const health = h1.server.admin.health()
    expect(health).toMatchObject({ customers: 1, chats: 1 })

    await h1.server.close()
    storage1.close()

    // ── second server on the same file ───────────────────────────────────────
    const storage2 = new SqliteStorage(path)
    const h2 = await startServer({ storage: storage2 })
    try {
      expect(h2.server.admin.health()).toMatchObject({ customers: 1, chats: 1 })
      const bot2 = await h2.agent(BOT.id)
      // (read before the customer logs in again, which counts one more visit)
      const botView = await bot2.ok('get_chat', { chat_id, thread_id: resumed.thread_id })
      const a2 = await h2.open('customer')
      // a token issued before the restart still logs in, as the same customer
      const login = await a2.ok<{ customer_id: string; chats: Array<{ chat_id: string }>; greeting?: { unique_id: string } }>('login', {
        token: `Bearer ${issued.access_token}`,
      })
      expect(login.customer_id).toBe(customerId)
      expect(login.chats.map((c) => c.chat_id)).toEqual([chat_id])
      expect(login.greeting?.unique_id).toBe(greeting.unique_id)

      const after = {
        chat: await a2.ok('get_chat', { chat_id }),
        firstThread: await a2.ok('get_chat', { chat_id, thread_id: firstThread }),
        chats: await a2.ok('list_chats', {}),
        threads: await a2.ok('list_threads', { chat_id }),
        customer: await a2.ok<Record<string, unknown>>('get_customer'),
        botView,
      }
      // the login above is one more visit; everything else is unchanged
      const statistics = before.customer.statistics as Record<string, number>
      expect(after.customer).toEqual({ ...before.customer, statistics: { ...statistics, visits_count: (statistics.visits_count ?? 0) + 1 } })
      expect(after.chat).toEqual(before.chat)
      expect(after.firstThread).toEqual(before.firstThread)
      expect(after.chats).toEqual(before.chats)
      expect(after.threads).toEqual(before.threads)
      expect(withoutPresence(after.botView)).toEqual(withoutPresence(before.botView))
      expect(before.botView).toMatchObject({ users: expect.arrayContaining([expect.objectContaining({ id: customerId, present: true })]) })
      expect(after.threads).toMatchObject({ threads: [{ id: resumed.thread_id }, { id: firstThread }] })
      expect(after.firstThread).toMatchObject({
        properties: { source: { type: 'widget' }, rating: { score: 1 } },
        thread: { id: firstThread, active: false, properties: { custom: { tag: 'x' } } },
      })
      expect(after.customer).toMatchObject({ name: 'Ann', email: 'ann@example.com', session_fields: [{ plan: 'pro' }] })

      // the uploaded file is still served, and idempotent sends still know the old custom ids
      const served = await fetch(fileUrl.replace(h1.server.url, h2.server.url))
      expect(served.status).toBe(200)
      expect(await served.text()).toBe('persisted bytes')
      const resent = await a2.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'Second', custom_id: 'c-2' } })
      expect(resent.event_id).toBe(sent.event_id)

      // and the chat goes on: new events get new ids after the old ones
      const next = await a2.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'After the restart' } })
      expect((await bot2.push<{ event: { id: string; text: string } }>('incoming_event')).payload.event).toMatchObject({ id: next.event_id, text: 'After the restart' })
      const threads = await a2.ok<{ threads: Array<{ events: Array<{ id: string }> }> }>('list_threads', { chat_id })
      expect(new Set(threads.threads.flatMap((t) => t.events.map((e) => e.id))).size).toBe(threads.threads.flatMap((t) => t.events).length)

      // the license state of another organization survived too
      const deadOrg = 'c0c0c0c0-0000-4000-8000-00000000dead'
      const deadToken = await h2.token(deadOrg)
      const dead = await h2.open('customer', deadOrg)
      expect((await dead.request('login', { token: `Bearer ${deadToken.access_token}` })).payload).toMatchObject({ error: { type: 'license_expired' } })
    } finally {
      await h2.server.close()
      storage2.close()
    }
  })
})
