/**
 * The script-tag entry: `<script src=".../rapport-widget.js" data-organization-id="…"
 * data-server-url="…"></script>`, or `window.RapportWidget = { config: {…} }` set before
 * it (attributes win). Mounts the widget once the page has a body and puts its JS API on
 * `window.RapportWidget`.
 */
import type { ColorScheme, WidgetTheme } from './config'
import { LOCALES, type Locale } from './i18n'
import { type WidgetApi, type WidgetConfig, mountWidget } from './index'

declare global {
  interface Window {
    RapportWidget?: Partial<WidgetApi> & { config?: WidgetConfig }
  }
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => values.find((v) => v === value)

const configOf = (script: HTMLOrSVGScriptElement | null, given: WidgetConfig | undefined): WidgetConfig => {
  const data: DOMStringMap = script instanceof HTMLScriptElement ? script.dataset : {}
  const position = oneOf(['left', 'right'] as const, data.position)
  const colorScheme = oneOf<ColorScheme>(['light', 'dark', 'auto'], data.colorScheme)
  const locale = oneOf<Locale>(LOCALES, data.locale)
  const theme: WidgetTheme = {
    ...given?.theme,
    ...(data.primaryColor && { primaryColor: data.primaryColor }),
    ...(position && { position }),
    ...(colorScheme && { colorScheme }),
  }
  return {
    ...given,
    organizationId: data.organizationId ?? given?.organizationId ?? '',
    ...(data.clientId && { clientId: data.clientId }),
    ...(data.serverUrl && { serverUrl: data.serverUrl }),
    ...(data.groupId && { groupId: Number(data.groupId) }),
    ...(locale && { locale }),
    theme,
  }
}

const script = document.currentScript
const start = (): void => {
  const config = configOf(script, window.RapportWidget?.config)
  window.RapportWidget = { config, ...mountWidget(config) }
}
if (document.body) start()
else document.addEventListener('DOMContentLoaded', start, { once: true })
