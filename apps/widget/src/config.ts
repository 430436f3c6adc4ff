import type { Locale } from './i18n'

export type ColorScheme = 'light' | 'dark' | 'auto'

export interface WidgetTheme {
  /** Any CSS colour; the launcher, own messages and primary buttons use it. */
  primaryColor?: string
  /** Which bottom corner the launcher and the panel sit in. */
  position?: 'left' | 'right'
  /** `auto` (default) follows the page's `prefers-color-scheme`. */
  colorScheme?: ColorScheme
}

export interface WidgetConfig {
  organizationId: string
  /** The client id the customer tokens are issued for (default `rapport-widget`). */
  clientId?: string
  /** Origin of a server speaking the Customer Chat API instead of the platform (e.g. the local server). */
  serverUrl?: string
  groupId?: number
  theme?: WidgetTheme
  locale?: Locale
}

export interface ResolvedConfig {
  organizationId: string
  clientId: string
  serverUrl: string | undefined
  groupId: number
  theme: Required<WidgetTheme>
  locale: Locale
}

export const DEFAULT_PRIMARY_COLOR = '#2f5bea'

/** The sneak peek (what the customer is typing) goes to the agent at most this often. */
export const SNEAK_PEEK_MS = 400

/** The platform's upload limit (10 MiB); checked before an upload starts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

export const resolveConfig = (config: WidgetConfig): ResolvedConfig => {
  if (typeof config?.organizationId !== 'string' || config.organizationId === '') throw new Error('Rapport widget: `organizationId` is required')
  const theme = config.theme ?? {}
  return {
    organizationId: config.organizationId,
    clientId: config.clientId ?? 'rapport-widget',
    serverUrl: config.serverUrl,
    groupId: config.groupId ?? 0,
    theme: {
      primaryColor: theme.primaryColor ?? DEFAULT_PRIMARY_COLOR,
      position: theme.position === 'left' ? 'left' : 'right',
      colorScheme: theme.colorScheme === 'light' || theme.colorScheme === 'dark' ? theme.colorScheme : 'auto',
    },
    locale: config.locale ?? 'en',
  }
}
