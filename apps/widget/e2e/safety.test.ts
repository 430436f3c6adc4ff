import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Stack, launchBrowser, launcher, openPage, screenshot, startStack } from './harness'

// every payload sets window.__xss if it ever runs
const IMG = '<img src=x onerror="window.__xss=1">'
const SCRIPT = '<script>window.__xss=2</script>'
const JS_LINK = 'javascript:window.__xss=3'

let stack: Stack
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
  stack = await startStack({ botName: `Bot ${IMG}` })
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/**
 * The local server refuses non-http(s) URLs in rich messages, as the platform does; a
 * hostile or broken server might not. The page's WebSocket goes through this relay, which
 * swaps marker URLs in the server's frames for hostile ones on the way to the widget.
 */
const MARKERS: Record<string, string> = {
  'https://marker.invalid/js': JS_LINK,
  'https://marker.invalid/data': 'data:text/html,<script>parent.__xss=4</script>',
}
const tamper = async (page: Page): Promise<void> => {
  await page.routeWebSocket(/\/rtm|\/ws|customer/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      let text = typeof message === 'string' ? message : message.toString('utf8')
      for (const [marker, hostile] of Object.entries(MARKERS)) text = text.split(marker).join(hostile.replace(/"/g, '\\"'))
      ws.send(text)
    })
  })
}

const chatIdOf = (page: Page) =>
  page.evaluate(() => {
    const client = window.RapportWidget?.client
    return client ? Object.keys(client.state.getSnapshot().chats)[0] : undefined
  })

/** What the shadow root holds that could run or lead somewhere. */
const dangerous = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('rapport-widget')?.shadowRoot
    if (!root) return null
    return {
      xss: (window as { __xss?: unknown }).__xss ?? null,
      scripts: root.querySelectorAll('script').length + document.querySelectorAll('body script:not([src])').length,
      handlers: Array.from(root.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
      badLinks: Array.from(root.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? '').filter((href) => !/^https?:\/\//.test(href)),
      badSources: Array.from(root.querySelectorAll('img[src], iframe, object, embed')).map((el) => el.getAttribute('src') ?? el.tagName).filter((src) => !/^https?:\/\//.test(src)),
      relMissing: Array.from(root.querySelectorAll('a[href]')).filter((a) => !/\bnoopener\b/.test(a.getAttribute('rel') ?? '') || !/\bnoreferrer\b/.test(a.getAttribute('rel') ?? '')).length,
    }
  })

test('text, names and rich-message fields from the network render as text, and nothing executes', async () => {
  const { context, page, errors } = await openPage(browser, stack.pageUrl(), { beforeGoto: tamper })
  await launcher(page).click()
  const form = page.locator('rapport-widget [data-testid="form"]')
  await form.getByLabel('Name:').fill(IMG)
  await form.getByLabel('Question:', { exact: false }).fill(`${SCRIPT} ${IMG} ${JS_LINK} see https://example.com/docs.`)
  await form.getByRole('button', { name: 'Start the chat' }).click()
  // the bot echoes the text back: an agent's message carrying the payloads, under a name carrying one
  await page.locator('rapport-widget li', { hasText: 'You said:' }).waitFor()

  const chatId = await chatIdOf(page)
  expect(chatId).toBeTruthy()
  const button = (text: string, type: 'url' | 'webview', value: string, id: string) => ({ text, type, value, postback_id: id, user_ids: [] })
  await stack.bot?.client.request('send_event', {
    chat_id: chatId as string,
    event: {
      type: 'rich_message',
      template_id: 'cards',
      elements: [
        {
          title: `Title ${IMG}`,
          subtitle: `Subtitle ${SCRIPT}`,
          image: { url: 'https://marker.invalid/js', name: IMG },
          buttons: [
            button(`Link ${IMG}`, 'url', 'https://marker.invalid/js', 'p1'),
            button('Webview', 'webview', 'https://marker.invalid/data', 'p2'),
            button('Safe link', 'url', 'https://example.com/safe', 'p3'),
          ],
        },
      ],
    },
  })
  await page.locator('rapport-widget [data-template="cards"]').waitFor()

  // the payloads are there, as text
  const panelText = await page.locator('rapport-widget [data-testid="panel"]').innerText()
  expect(panelText).toContain(SCRIPT)
  expect(panelText).toContain(`Title ${IMG}`)
  expect(panelText).toContain(`Bot ${IMG}`)
  expect(panelText).toContain(JS_LINK)

  // unsafe links became plain buttons; clicking them runs nothing
  await page.locator('rapport-widget button', { hasText: `Link ${IMG}` }).click()
  await page.locator('rapport-widget button', { hasText: 'Webview' }).click()
  const safe = page.locator('rapport-widget a', { hasText: 'Safe link' })
  expect(await safe.getAttribute('href')).toBe('https://example.com/safe')
  // a URL in a message is a link; `javascript:` text is not
  expect(await page.locator('rapport-widget a[href="https://example.com/docs"]').count()).toBeGreaterThan(0)

  await screenshot(page, 'xss-as-text')
  expect(await dangerous(page)).toEqual({ xss: null, scripts: 0, handlers: 0, badLinks: [], badSources: [], relMissing: 0 })
  expect(errors).toEqual([])
  await context.close()
})

test('a quick reply sends its postback and its text, and the bot answers', async () => {
  const { context, page } = await openPage(browser, stack.pageUrl())
  await launcher(page).click()
  const form = page.locator('rapport-widget [data-testid="form"]')
  await form.getByLabel('Question:', { exact: false }).fill('hi')
  await form.getByRole('button', { name: 'Start the chat' }).click()
  await page.locator('rapport-widget li', { hasText: 'I am the Rapport bot' }).waitFor()
  const chatId = (await chatIdOf(page)) as string
  await stack.bot?.client.request('send_event', {
    chat_id: chatId,
    event: {
      type: 'rich_message',
      template_id: 'quick_replies',
      elements: [{ title: 'Pick one', buttons: [{ text: 'Track my order', type: 'message', value: 'track', postback_id: 'track', user_ids: [] }] }],
    },
  })
  await page.locator('rapport-widget button', { hasText: 'Track my order' }).click()
  await page.locator('rapport-widget li', { hasText: 'You said: "Track my order"' }).waitFor()
  await screenshot(page, 'quick-reply')
  await context.close()
})
