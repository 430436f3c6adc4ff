/** The demo page (index.html, served by `vite`): the widget configured from the query string. */
import type { Locale } from './i18n'
import { mountWidget } from './index'

const query = new URLSearchParams(location.search)
const scheme = query.get('scheme')
const api = mountWidget({
  organizationId: query.get('org') ?? 'rapport-demo',
  serverUrl: query.get('server') ?? import.meta.env.VITE_RAPPORT_SERVER_URL ?? 'http://127.0.0.1:8080',
  locale: (query.get('locale') ?? 'en') as Locale,
  theme: {
    ...(query.get('color') && { primaryColor: query.get('color') as string }),
    position: query.get('position') === 'left' ? 'left' : 'right',
    colorScheme: scheme === 'light' || scheme === 'dark' ? scheme : 'auto',
  },
})
Object.assign(window, { RapportWidget: api })
