/**
 * The widget's chat flows in real Chromium against the local server, with the echo bot
 * as the agent side (its client also plays the agent: typing, messages, ending the chat).
 * Every wait is on a condition (generous timeouts for a busy machine), never a fixed sleep.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type Stack,
  chatIdOf,
  composer,
  customerIdOf,
  item,
  launchBrowser,
  launcher,
  openPage,
  panel,
  screenshot,
  startChatThroughPrechat,
  startStack,
} from './harness'

let stack: Stack
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
  stack = await startStack()
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const POLL = { timeout: 30_000 }
const agent = () => {
  if (!stack.bot) throw new Error('The stack has no bot')
  return stack.bot.client
}
/** The chat's events as the agent side sees them (the server's copy). */
const serverEvents = async (chatId: string) => (await agent().getChat({ chatId })).thread?.events ?? []
const widget = (page: Page, selector: string) => page.locator(`rapport-widget ${selector}`)

/** Starts a chat through the prechat form and waits for the bot's answer to its question. */
const startChat = async (page: Page, question = 'Hello there'): Promise<string> => {
  await startChatThroughPrechat(page, question)
  await item(page, 'I am the Rapport bot').waitFor()
  return chatIdOf(page)
}

describe('chat flows', () => {
  test('prechat: the filled form starts the chat, and its question is sent once (inside the form, not again as a message)', async () => {
    const { context, page, errors } = await openPage(browser, stack.pageUrl())
    await launcher(page).click()
    const form = widget(page, '[data-testid="form"]')
    await form.getByLabel('Name:').fill('Ada')
    await form.getByLabel('E-mail:', { exact: false }).fill('ada@example.com')
    await form.getByLabel('Question:', { exact: false }).fill('Hello there')
    await screenshot(page, 'prechat-filled')
    await form.getByRole('button', { name: 'Start the chat' }).click()
    await item(page, 'I am the Rapport bot').waitFor()
    const chatId = await chatIdOf(page)

    const events = await serverEvents(chatId)
    const forms = events.filter((event) => event.type === 'filled_form')
    expect(forms).toHaveLength(1)
    expect(forms[0]).toMatchObject({ fields: expect.arrayContaining([expect.objectContaining({ type: 'question', answer: 'Hello there' })]) })
    const customerMessages = events.filter((event) => event.type === 'message' && event.authorId !== agent().profile?.id)
    expect(customerMessages).toEqual([])
    // shown once: the answers in the form's bubble
    await expect.poll(() => item(page, 'Hello there').count(), POLL).toBe(1)
    await expect.poll(() => item(page, 'ada@example.com').count(), POLL).toBe(1)
    await screenshot(page, 'prechat-started')
    expect(errors).toEqual([])
    await context.close()
  })

  test("typing: the agent's typing is shown, and the customer's sneak peek reaches the agent", async () => {
    const peeks: Array<{ chatId: string; text: string }> = []
    const off = agent().on('incoming_sneak_peek', ({ chatId, sneakPeek }) => void peeks.push({ chatId, text: sneakPeek.text }))
    const { context, page } = await openPage(browser, stack.pageUrl())
    try {
      const chatId = await startChat(page)
      const ofThisChat = () => peeks.filter((peek) => peek.chatId === chatId).map((peek) => peek.text)
      await agent().sendTypingIndicator({ chatId, isTyping: true })
      const typing = widget(page, '[data-testid="typing"]')
      await typing.waitFor()
      expect(await typing.textContent()).toContain('is typing')
      await screenshot(page, 'agent-typing')
      await agent().sendTypingIndicator({ chatId, isTyping: false })
      await typing.waitFor({ state: 'detached' })

      const text = 'Where is my parcel'
      await composer(page).pressSequentially(text, { delay: 25 })
      await expect.poll(() => ofThisChat().at(-1), POLL).toBe(text)
      // throttled: fewer previews than keystrokes
      expect(ofThisChat().length).toBeLessThan(text.length)
    } finally {
      off()
      await context.close()
    }
  })

  test('greeting: shown on the closed widget, Reply accepts it and opens the panel; Dismiss cancels another', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    await launcher(page).waitFor()
    const customerId = await customerIdOf(page)
    stack.server.admin.sendGreeting(customerId, { text: 'Hi! Need a hand with your order?' })
    const greeting = widget(page, '[data-testid="greeting"]')
    await greeting.waitFor()
    expect(await greeting.textContent()).toContain('Need a hand with your order?')
    await screenshot(page, 'greeting')
    await greeting.getByRole('button', { name: 'Reply' }).click()
    await panel(page).waitFor()
    await expect.poll(() => greeting.count(), POLL).toBe(0)
    await expect.poll(() => stack.server.admin.getCustomer(customerId)?.statistics.greetings_accepted_count, POLL).toBe(1)
    // the accepted greeting does not come back when the panel closes
    await page.keyboard.press('Escape')
    await expect.poll(() => panel(page).count(), POLL).toBe(0)
    expect(await greeting.count()).toBe(0)

    stack.server.admin.sendGreeting(customerId, { text: 'Still there?' })
    await greeting.filter({ hasText: 'Still there?' }).waitFor()
    await greeting.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => greeting.count(), POLL).toBe(0)
    expect(await panel(page).count()).toBe(0)
    await context.close()
  })

  test('upload: a file goes up with a progress bar and arrives in the chat; another is cancelled and never sent', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    try {
      const chatId = await startChat(page)
      // a slow uplink, so that the progress can be seen and the second upload cancelled
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 500_000 })
      await widget(page, 'input[type="file"]').setInputFiles([
        { name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2_500_000, 'a') },
        { name: 'cancel-me.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2_500_000, 'b') },
      ])
      const report = widget(page, '[data-testid="upload"]').filter({ hasText: 'report.txt' })
      const other = widget(page, '[data-testid="upload"]').filter({ hasText: 'cancel-me.txt' })
      await other.waitFor()
      await other.getByRole('button', { name: 'Cancel the upload of cancel-me.txt' }).click()
      await other.waitFor({ state: 'detached' })
      // the bar moves: strictly between 0 and 1 while the file goes up
      const progress = () => report.locator('progress').evaluate((el: HTMLProgressElement) => el.value, undefined, { timeout: 2_000 }).catch(() => Number.NaN)
      await expect.poll(async () => { const value = await progress(); return value > 0 && value < 1 }, POLL).toBe(true)
      await screenshot(page, 'upload-progress')
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })

      await widget(page, 'a[aria-label="Download report.txt"]').waitFor({ timeout: 60_000 })
      await expect.poll(() => widget(page, '[data-testid="upload"]').count(), POLL).toBe(0)
      await screenshot(page, 'upload-done')
      const files = (await serverEvents(chatId)).filter((event) => event.type === 'file')
      expect(files.map((file) => file.type === 'file' && file.name)).toEqual(['report.txt'])
      expect(await widget(page, 'li').filter({ hasText: 'cancel-me.txt' }).count()).toBe(0)
      expect(await widget(page, '[role="alert"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('rating: after the agent ends the chat, good + comment is stored on the chat', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    const chatId = await startChat(page)
    await agent().deactivateChat({ id: chatId })
    const rating = widget(page, '[data-testid="rating"]')
    await rating.waitFor()
    await rating.getByRole('button', { name: 'Good', exact: true }).click()
    await rating.getByLabel('Add a comment (optional)').fill('Quick and kind')
    await screenshot(page, 'rating-form')
    // the form does not crowd out the conversation (it scrolls within its part of the panel)
    const listHeight = await widget(page, '[role="region"]').evaluate((el) => el.getBoundingClientRect().height)
    const panelHeight = await panel(page).evaluate((el) => el.getBoundingClientRect().height)
    expect(listHeight).toBeGreaterThanOrEqual(panelHeight * 0.3)
    // and the list, shrunk by it, still shows its newest item
    const newestInView = () =>
      widget(page, '[role="region"]').evaluate((scroller) => {
        const items = scroller.querySelectorAll('li')
        const newest = items[items.length - 1]
        return !!newest && newest.getBoundingClientRect().bottom <= scroller.getBoundingClientRect().bottom + 1
      })
    await expect.poll(newestInView, POLL).toBe(true)
    await rating.getByRole('button', { name: 'Send rating' }).click()
    await rating.getByText('Thank you for your rating.').waitFor()
    await screenshot(page, 'rating-done')
    const chat = await agent().getChat({ chatId })
    // rateChat sets the `rating` property of the chat's last thread
    expect(chat.thread?.properties).toMatchObject({ rating: { score: 1, comment: 'Quick and kind' } })
    await context.close()
  })

  test('reload: the conversation comes back, each message once', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    const chatId = await startChat(page)
    await composer(page).fill('Before the reload?')
    await composer(page).press('Enter')
    await item(page, 'You asked: "Before the reload?"').waitFor()
    await page.reload()
    await launcher(page).click()
    await item(page, 'You asked: "Before the reload?"').waitFor()
    expect((await chatIdOf(page)) === chatId).toBe(true)
    for (const text of ['Hello there', 'I am the Rapport bot', 'Before the reload?', 'You asked: "Before the reload?"'])
      await expect.poll(() => item(page, text).count(), POLL).toBe(text === 'Before the reload?' ? 2 : 1)
    await screenshot(page, 'reload-history')
    // the chat goes on after the reload
    await composer(page).fill('And after?')
    await composer(page).press('Enter')
    await item(page, 'You asked: "And after?"').waitFor()
    await context.close()
  })

  test('unread badge: messages that arrive while the launcher is closed are counted, and reading them clears it', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    const chatId = await startChat(page)
    await page.keyboard.press('Escape')
    await expect.poll(() => panel(page).count(), POLL).toBe(0)
    const badge = widget(page, '.launcher-slot .badge')
    expect(await badge.count()).toBe(0)
    await agent().sendEvent({ chatId, event: { type: 'message', text: 'Are you still there?' } })
    await agent().sendEvent({ chatId, event: { type: 'message', text: 'I found your order.' } })
    await expect.poll(() => badge.textContent(), POLL).toBe('2')
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat (2 unread messages)')
    await screenshot(page, 'unread-badge')
    await launcher(page).click()
    await item(page, 'I found your order.').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => panel(page).count(), POLL).toBe(0)
    // marked as seen: the badge stays away
    await expect.poll(() => badge.count(), POLL).toBe(0)
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat')
    await context.close()
  })

  test('retry: a message the server refuses shows as failed with Retry, and Retry sends it once', async () => {
    let refused = 0
    const { context, page } = await openPage(browser, stack.pageUrl(), {
      // the first send of this text is answered with an error, as a failing server would
      beforeGoto: (page) =>
        page.routeWebSocket(/\/customer\/rtm\//, (ws) => {
          const server = ws.connectToServer()
          server.onMessage((message) => ws.send(message))
          ws.onMessage((message) => {
            const frame: unknown = JSON.parse(String(message))
            const request = frame as { action?: string; request_id?: string; payload?: { event?: { text?: string } } }
            if (request.action === 'send_event' && request.payload?.event?.text === 'Please fail once' && refused === 0) {
              refused++
              ws.send(JSON.stringify({ request_id: request.request_id, action: 'send_event', type: 'response', success: false, payload: { error: { type: 'internal', message: 'Internal error' } } }))
              return
            }
            server.send(message)
          })
        }),
    })
    const chatId = await startChat(page)
    await composer(page).fill('Please fail once')
    await composer(page).press('Enter')
    const failed = widget(page, 'li[data-status="failed"]').filter({ hasText: 'Please fail once' })
    await failed.waitFor()
    await screenshot(page, 'message-failed')
    await failed.getByRole('button', { name: 'Retry' }).click()
    await item(page, 'You said: "Please fail once"').waitFor()
    await expect.poll(() => widget(page, 'li.own[data-status="sent"]').filter({ hasText: 'Please fail once' }).count(), POLL).toBe(1)
    expect(await widget(page, 'li.own').filter({ hasText: 'Please fail once' }).count()).toBe(1)
    expect(await widget(page, 'li[data-status="failed"]').count()).toBe(0)
    expect(await widget(page, '[role="alert"]').count()).toBe(0)
    expect(await widget(page, 'li[data-status="pending"]').count()).toBe(0)
    await screenshot(page, 'message-retried')
    const sent = (await serverEvents(chatId)).filter((event) => event.type === 'message' && event.text === 'Please fail once')
    expect(sent).toHaveLength(1)
    expect(refused).toBe(1)
    await context.close()
  })
})

describe('the script-tag page', () => {
  test('one <script> with data attributes on a plain page shows the launcher and chats', async () => {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plain page</title></head>
<body><p>A plain page.</p>
<script src="/rapport-widget.js" data-organization-id="rapport-widget-e2e" data-server-url="${stack.serverUrl}" data-primary-color="#0a7f55"></script>
</body></html>`
    const { context, page, errors } = await openPage(browser, stack.pageUrl({ html }))
    await launcher(page).waitFor()
    expect(await page.evaluate(() => document.scripts.length)).toBe(1)
    expect(await launcher(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 127, 85)')
    expect(await page.evaluate(() => typeof window.RapportWidget?.open)).toBe('function')
    await startChat(page)
    await screenshot(page, 'script-tag-page')
    expect(errors).toEqual([])
    await context.close()
  })

  test('a configuration object set before the script works as the attributes do', async () => {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Configured page</title></head>
<body><script>window.RapportWidget = { config: { organizationId: 'rapport-widget-e2e', serverUrl: ${JSON.stringify(stack.serverUrl)}, locale: 'fr', theme: { position: 'left' } } }</script>
<script src="/rapport-widget.js"></script>
</body></html>`
    const { context, page, errors } = await openPage(browser, stack.pageUrl({ html }))
    await launcher(page).waitFor()
    expect(await launcher(page).getAttribute('aria-label')).toBe('Ouvrir le chat')
    expect((await launcher(page).boundingBox())?.x).toBeLessThan(100)
    await customerIdOf(page)
    expect(errors).toEqual([])
    await context.close()
  })
})
