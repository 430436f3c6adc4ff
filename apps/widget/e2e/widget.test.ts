import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Stack, composer, launchBrowser, launcher, openPage, panel, screenshot, startChatThroughPrechat, startStack } from './harness'

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

/** What has focus, looking into the widget's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('rapport-widget')
    const active = document.activeElement === host ? host?.shadowRoot?.activeElement : document.activeElement
    return active ? { tag: active.tagName.toLowerCase(), label: active.getAttribute('aria-label'), inWidget: document.activeElement === host } : null
  })

describe('the widget on a page (script-tag build)', () => {
  test('shows the launcher, opens, and the bot answers a message', async () => {
    const { context, page, errors } = await openPage(browser, stack.pageUrl())
    await launcher(page).waitFor()
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat')
    await screenshot(page, 'launcher-closed')

    await startChatThroughPrechat(page, 'Hello there')
    await page.locator('rapport-widget li', { hasText: 'I am the Rapport bot' }).waitFor()
    await composer(page).fill('Where is my order?')
    await composer(page).press('Enter')
    await page.locator('rapport-widget li', { hasText: 'You asked: "Where is my order?"' }).waitFor()
    // own messages end up confirmed
    await expect.poll(() => page.locator('rapport-widget li[data-status="pending"]').count()).toBe(0)
    await screenshot(page, 'panel-conversation')
    expect(errors).toEqual([])
    await context.close()
  })

  test('the host page style does not reach the widget and the widget style does not reach the page', async () => {
    const body = '<style>button { background: rgb(255, 0, 0) !important; font-family: serif; } .launcher-slot { display: none }</style><button id="host-button" type="button">A page button</button>'
    const { context, page } = await openPage(browser, stack.pageUrl({ body }))
    await launcher(page).waitFor()
    const launcherBackground = await launcher(page).evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(launcherBackground).not.toBe('rgb(255, 0, 0)')
    expect(await launcher(page).isVisible()).toBe(true)
    // the widget's styles (in its shadow root) are not in the page
    expect(await page.evaluate(() => document.head.querySelectorAll('style').length)).toBe(0)
    expect(await page.locator('#host-button').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 0, 0)')
    await context.close()
  })

  test('keyboard only: Enter opens, Escape closes and focus returns to the launcher; Tab leaves the panel', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    await launcher(page).waitFor()
    await page.locator('#host-button').focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ inWidget: true, label: 'Open chat' })
    await page.keyboard.press('Enter')
    await panel(page).waitFor()
    expect((await focused(page))?.inWidget).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => panel(page).count()).toBe(0)
    expect(await focused(page)).toMatchObject({ inWidget: true, tag: 'button', label: 'Open chat' })

    // no keyboard trap: tabbing through the open panel reaches the page again
    await page.keyboard.press('Enter')
    await panel(page).waitFor()
    let left = false
    for (let i = 0; i < 30 && !left; i++) {
      await page.keyboard.press('Tab')
      left = (await focused(page))?.inWidget === false
    }
    expect(left).toBe(true)
    await context.close()
  })

  test('the JS API opens, closes, hides and shows the widget', async () => {
    const { context, page } = await openPage(browser, stack.pageUrl())
    await launcher(page).waitFor()
    await page.evaluate(() => window.RapportWidget?.open?.())
    await panel(page).waitFor()
    await page.evaluate(() => window.RapportWidget?.close?.())
    await expect.poll(() => panel(page).count()).toBe(0)
    await page.evaluate(() => window.RapportWidget?.hide?.())
    await expect.poll(() => launcher(page).count()).toBe(0)
    await page.evaluate(() => window.RapportWidget?.show?.())
    await launcher(page).waitFor()
    await context.close()
  })

  test('mobile viewport: the open panel fills the screen and the page behind does not scroll', async () => {
    const body = `<h1>A long page</h1>${'<p>Content of the site.</p>'.repeat(80)}`
    const { context, page } = await openPage(browser, stack.pageUrl({ body }), { viewport: { width: 390, height: 844 }, isMobile: true })
    await launcher(page).waitFor()
    await screenshot(page, 'mobile-closed')
    await launcher(page).click()
    await panel(page).waitFor()
    const box = await panel(page).boundingBox()
    expect(box).toMatchObject({ x: 0, y: 0, width: 390 })
    expect(box?.height).toBeGreaterThan(800)
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('hidden')
    const submit = await page.locator('rapport-widget [data-testid="form"] button[type="submit"]').boundingBox()
    expect((submit?.y ?? Infinity) + (submit?.height ?? 0)).toBeLessThanOrEqual(844)
    await screenshot(page, 'mobile-open')

    // the on-screen keyboard: the visible height shrinks to 400 px; the composer stays in it
    await startChatThroughPrechat(page, 'Hello there', 'Start the chat', { open: false })
    await page.locator('rapport-widget li', { hasText: 'I am the Rapport bot' }).waitFor()
    await composer(page).focus()
    await page.setViewportSize({ width: 390, height: 400 })
    await expect.poll(() => panel(page).evaluate((el) => Math.round(el.getBoundingClientRect().height)), { timeout: 30_000 }).toBe(400)
    const visible = await composer(page).evaluate((el) => {
      const box = el.getBoundingClientRect()
      const viewport = window.visualViewport
      return { top: box.top, bottom: box.bottom, viewportTop: viewport?.offsetTop ?? 0, viewportBottom: (viewport?.offsetTop ?? 0) + (viewport?.height ?? innerHeight) }
    })
    expect(visible.top).toBeGreaterThanOrEqual(visible.viewportTop)
    expect(visible.bottom).toBeLessThanOrEqual(visible.viewportBottom)
    // the newest message stays in view above it
    const newestInView = () =>
      page.locator('rapport-widget [role="region"]').evaluate((scroller) => {
        const items = scroller.querySelectorAll('li')
        const newest = items[items.length - 1]
        return !!newest && newest.getBoundingClientRect().bottom <= scroller.getBoundingClientRect().bottom + 1
      })
    await expect.poll(newestInView, { timeout: 30_000 }).toBe(true)
    await screenshot(page, 'mobile-keyboard')
    // zoomed in and panned down (the visible part is the lower half of the layout viewport): the panel follows it
    await page.setViewportSize({ width: 390, height: 844 })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 })
    await page.mouse.move(100, 20)
    await page.mouse.wheel(0, 1000)
    const inView = (selector: 'textarea' | 'header') =>
      page.locator(`rapport-widget [data-testid="panel"] ${selector}`).last().evaluate((el) => {
        const viewport = window.visualViewport
        const box = el.getBoundingClientRect()
        return (
          viewport !== null &&
          viewport.offsetTop > 300 &&
          box.top >= viewport.offsetTop - 1 &&
          box.bottom <= viewport.offsetTop + viewport.height + 1 &&
          box.left >= viewport.offsetLeft - 1 &&
          box.right <= viewport.offsetLeft + viewport.width + 1
        )
      })
    await expect.poll(() => inView('textarea'), { timeout: 30_000 }).toBe(true)
    expect(await inView('header')).toBe(true)
    await screenshot(page, 'mobile-zoomed')
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 })
    await page.locator('rapport-widget [data-testid="panel"] button[aria-label="Close chat"]').click()
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('visible')
    await context.close()
  })

  test('dark mode follows the page preference, with a custom colour on the left', async () => {
    const attributes = { 'data-primary-color': '#e5484d', 'data-position': 'left', 'data-locale': 'fr' }
    const { context, page } = await openPage(browser, stack.pageUrl({ attributes }), { colorScheme: 'dark' })
    await launcher(page).waitFor()
    expect(await launcher(page).getAttribute('aria-label')).toBe('Ouvrir le chat')
    await startChatThroughPrechat(page, 'Bonjour, hello', 'Commencer')
    await page.locator('rapport-widget li', { hasText: 'I am the Rapport bot' }).waitFor()
    const background = await panel(page).evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(background).toBe('rgb(28, 30, 36)')
    const box = await panel(page).boundingBox()
    expect(box?.x).toBeLessThan(100)
    await screenshot(page, 'dark-left-fr')
    await context.close()
  }, 90_000)
})
