/**
 * The postchat form in real Chromium against the local server: the group's form (enabled
 * with the server's `setForm`) shows when the agent ends the chat, and its answers reach
 * the ended chat's last thread once, as a `filled_form` of type `postchat`.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Stack, chatIdOf, item, launchBrowser, openPage, screenshot, startChatThroughPrechat, startStack } from './harness'

let stack: Stack
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
  stack = await startStack()
  // a stack of its own: the other files' chats end without a postchat form
  stack.server.admin.setForm(0, 'postchat', {
    id: 'postchat-e2e',
    fields: [
      { id: '1', type: 'header', label: 'Thanks for chatting with us!' },
      { id: '2', type: 'radio', label: 'Was your problem solved?', required: true, options: [{ id: '0', label: 'Yes' }, { id: '1', label: 'No' }] },
      { id: '3', type: 'question', label: 'How could we do better?', required: false },
    ],
  })
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const POLL = { timeout: 30_000 }

test('postchat: after the agent ends the chat, the form shows, its answers reach the last thread once, and the rating stays', async () => {
  const agent = stack.bot?.client
  if (!agent) throw new Error('The stack has no bot')
  const { context, page, errors } = await openPage(browser, stack.pageUrl())
  await startChatThroughPrechat(page, 'Hello there')
  await item(page, 'I am the Rapport bot').waitFor()
  const chatId = await chatIdOf(page)
  const filledForms = async () => {
    const events = (await agent.getChat({ chatId })).thread?.events ?? []
    return events.filter((event) => event.type === 'filled_form' && event.formType === 'postchat')
  }

  await agent.deactivateChat({ id: chatId })
  const ended = page.locator('rapport-widget [data-testid="rating"]')
  const form = ended.locator('[data-testid="form"]')
  await form.waitFor()
  // the rating is still offered beside the form
  await ended.getByRole('button', { name: 'Good', exact: true }).waitFor()
  await form.getByLabel('Yes').check()
  await form.getByLabel('How could we do better?').fill('Nothing, all good')
  await screenshot(page, 'postchat-form')
  await form.getByRole('button', { name: 'Send' }).click()
  await ended.getByText('Thank you for your answers.').waitFor()
  await form.waitFor({ state: 'detached' })
  // the answers show in the conversation, the chosen option by its label
  const answers = page.locator('rapport-widget dl.form', { hasText: 'Was your problem solved?' })
  await expect.poll(() => answers.locator('dd').allTextContents(), POLL).toEqual(['Yes', 'Nothing, all good'])
  await screenshot(page, 'postchat-sent')

  await expect.poll(async () => (await filledForms()).length, POLL).toBe(1)
  const [filled] = await filledForms()
  expect(filled).toMatchObject({
    formId: 'postchat-e2e',
    fields: [
      expect.objectContaining({ id: '2', answer: expect.objectContaining({ label: 'Yes' }) }),
      expect.objectContaining({ id: '3', answer: 'Nothing, all good' }),
    ],
  })
  // the chat stays ended: the answers went to its last thread, no new thread was opened
  const chat = await agent.getChat({ chatId })
  expect(chat.thread?.active).toBe(false)
  const threadIds = await page.evaluate((id) => window.RapportWidget?.client?.state.getSnapshot().chats[id]?.threadIds ?? [], chatId)
  expect(threadIds).toEqual([chat.thread?.id])
  expect(await page.locator('rapport-widget [role="alert"]').count()).toBe(0)
  expect(errors).toEqual([])
  await context.close()
})
