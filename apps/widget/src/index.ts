import { mount, unmount } from 'svelte'
import { type CustomerSDK, init } from '@rapport/customer-sdk'
import App from './components/App.svelte'
import { type ResolvedConfig, type WidgetConfig, resolveConfig } from './config'
import { WidgetState } from './widgetState.svelte'

export type { ColorScheme, WidgetConfig, WidgetTheme } from './config'
export { LOCALES, MESSAGES, type Locale } from './i18n'

/** The widget's JS API (also `window.RapportWidget` in the script-tag build). */
export interface WidgetApi {
  open(): void
  close(): void
  /** Hides the whole widget, launcher included (the connection stays). */
  hide(): void
  show(): void
  /** Removes the widget and ends its client; idempotent. */
  destroy(): void
  /** The Customer SDK instance the widget runs on. */
  readonly client: CustomerSDK
}

export interface MountOptions extends WidgetConfig {
  /** Where the widget's host element goes (default `document.body`). */
  target?: Element
}

/**
 * Mounts the widget: a host element with a shadow root (the widget's styles stay inside,
 * the page's stay out) holding the launcher and the panel, on a new Customer SDK client.
 */
export const mountWidget = (options: MountOptions): WidgetApi => {
  const config: ResolvedConfig = resolveConfig(options)
  const client = init({
    organizationId: config.organizationId,
    clientId: config.clientId,
    ...(config.serverUrl !== undefined && { serverUrl: config.serverUrl }),
    ...(options.groupId !== undefined && { groupId: options.groupId }),
  })
  const host = document.createElement('rapport-widget')
  // inherited properties of the page (font, colour, line height…) stop here
  host.style.setProperty('all', 'initial')
  const shadow = host.attachShadow({ mode: 'open' })
  ;(options.target ?? document.body).append(host)

  const ui = new WidgetState()
  const app = mount(App, { target: shadow, props: { client, config, ui } })
  let destroyed = false
  return {
    client,
    open: () => void (ui.open = true),
    close: () => void (ui.open = false),
    hide: () => void (ui.hidden = true),
    show: () => void (ui.hidden = false),
    destroy: () => {
      if (destroyed) return
      destroyed = true
      void unmount(app)
      client.destroy()
      host.remove()
    },
  }
}
