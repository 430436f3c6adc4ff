/**
 * The server stops and starts again (same port, same store) while a chat is open: the
 * banner comes and goes, what was typed meanwhile waits as pending and leaves in order,
 * and nothing is lost. Its own stack, since it stops the server.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Stack, chatIdOf, composer, item, launchBrowser, openPage, screenshot, startChatThroughPrechat, startStack } from './harness'

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

const POLL = { timeout: 60_000 }

/** The bot's connection and the chat's events as the server gives them to the bot (for a failure's message). */
const botView = async (chatId: string): Promise<string> => {
  const bot = stack.bot
  if (!bot) return 'no bot'
  let events: string
  try {
    const chat = await bot.client.getChat({ chatId })
    events = JSON.stringify((chat.thread?.events ?? []).map((event) => ({ type: event.type, authorId: event.authorId, createdAt: event.createdAt, ...(event.type === 'message' && { text: event.text }) })))
  } catch (error) {
    events = `getChat failed: ${String(error)}`
  }
  return `bot connection: ${JSON.stringify(bot.client.connection.getSnapshot())}\nchat events: ${events}`
}

test('stop and restart the server: the reconnect banner comes and goes, and messages typed offline leave in order', async () => {
  const { context, page, errors } = await openPage(browser, stack.pageUrl())
  await startChatThroughPrechat(page, 'Hello there')
  await item(page, 'I am the Rapport bot').waitFor()
  const chatId = await chatIdOf(page)
  const banner = page.locator('rapport-widget [data-testid="connection-banner"]')
  expect(await banner.count()).toBe(0)

  await stack.stopServer()
  await banner.waitFor({ timeout: 30_000 })
  expect(await banner.textContent()).toContain('Reconnecting')
  const offline = ['First while offline', 'Second while offline', 'Third while offline']
  for (const text of offline) {
    await composer(page).fill(text)
    await composer(page).press('Enter')
  }
  await expect.poll(() => page.locator('rapport-widget li.own[data-status="pending"]').count(), POLL).toBe(3)
  await screenshot(page, 'reconnect-offline-pending')

  await stack.startServer()
  await banner.waitFor({ state: 'detached', timeout: 60_000 })
  await expect.poll(() => page.locator('rapport-widget li[data-status="pending"]').count(), POLL).toBe(0)
  try {
    for (const text of offline) await item(page, `You said: "${text}"`).waitFor({ timeout: 60_000 })
  } catch (error) {
    // what the bot saw: its connection, and the chat as the server holds it
    throw new Error(`${String(error)}\n${await botView(chatId)}`)
  }
  await screenshot(page, 'reconnect-recovered')

  // the server holds each once, in the order typed, after what came before
  const bot = stack.bot
  if (!bot) throw new Error('no bot')
  await bot.client.whenStatus('connected')
  const events = (await bot.client.getChat({ chatId })).thread?.events ?? []
  const customerTexts = events.filter((event) => event.type === 'message' && event.authorId !== bot.client.profile?.id).map((event) => (event.type === 'message' ? event.text : ''))
  expect(customerTexts).toEqual(offline)
  expect(events.filter((event) => event.type === 'filled_form')).toHaveLength(1)
  // and the widget shows each once, in that order
  const own = await page.locator('rapport-widget li.own .bubble').allTextContents()
  expect(own.filter((text) => offline.includes(text.trim())).map((text) => text.trim())).toEqual(offline)
  expect(errors).toEqual([])
  await context.close()
}, 180_000)
