import { type WireLoginRequest, customerPushSubscription, isObject, serializeSessionFields } from '@rapport/protocol'
import type { KeyValueStorage } from './env'

export const SDK_VERSION = '0.1.0'

export interface CustomerData {
  name?: string
  email?: string
  avatar?: string
  sessionFields?: Record<string, string>
}

export interface LoginInput {
  customerDataProvider?: () => CustomerData
  groupId?: number
  referrer?: string
  tabId?: string
  /** The page the customer is on (`updateCustomerPage` moves it). */
  page: { current?: { url?: string; title?: string } }
}

/** The customer's side storage (customer-rtm §5.1): kept between sessions, sent at every login. */
export interface SideStorage {
  read(): Record<string, string>
  write(value: Record<string, unknown>): void
  clear(): void
}

export const createSideStorage = (storage: KeyValueStorage, key: string): SideStorage => ({
  read: () => {
    try {
      const raw = storage.getItem(key)
      const value: unknown = raw ? JSON.parse(raw) : {}
      if (!isObject(value)) return {}
      const result: Record<string, string> = {}
      for (const [name, item] of Object.entries(value)) if (typeof item === 'string') result[name] = item
      return result
    } catch {
      return {}
    }
  },
  write: (value) => storage.setItem(key, JSON.stringify(value)),
  clear: () => storage.removeItem(key),
})

/** The `login` request of a customer (customer-rtm §5.1). */
export const customerLoginRequest = (token: string, input: LoginInput, sideStorage: SideStorage): WireLoginRequest => {
  const data = input.customerDataProvider?.()
  const page = input.page.current
  return {
    token,
    customer: data
      ? {
          ...(data.name !== undefined && { name: data.name }),
          ...(data.email !== undefined && { email: data.email }),
          ...(data.avatar !== undefined && { avatar: data.avatar }),
          ...(data.sessionFields !== undefined && { session_fields: serializeSessionFields(data.sessionFields) }),
        }
      : {},
    customer_side_storage: sideStorage.read(),
    is_mobile: false,
    application: { name: 'rapport_customer_sdk', version: SDK_VERSION },
    ...(typeof input.groupId === 'number' && { group_id: input.groupId }),
    ...(page?.url !== undefined && { customer_page: { url: page.url, ...(page.title !== undefined && { title: page.title }) } }),
    ...(input.referrer !== undefined && { referrer: input.referrer }),
    ...(input.tabId !== undefined && { tab_id: input.tabId }),
    pushes: customerPushSubscription(),
  }
}

/** The side storage's key (by organization; `:<group>` with unique groups). */
export const sideStorageKey = (options: { organizationId: string; uniqueGroups?: boolean; groupId?: number }): string =>
  `side_storage_${options.organizationId}${options.uniqueGroups ? `:${options.groupId ?? 0}` : ''}`

/**
 * What 4.0.2 does with `init`'s third argument, a license id: the token and side storage
 * an older SDK kept under the license's keys move to the organization's (the value under
 * the license key wins, as in 4.0.2), and the license keys are removed.
 */
export const migrateLicenseStorage = (
  storage: KeyValueStorage,
  options: { licenseId: string | number; organizationId: string; uniqueGroups?: boolean; groupId?: number; tokenStoragePrefix?: string },
): void => {
  const group = options.uniqueGroups ? `:${options.groupId ?? 0}` : ''
  const prefix = options.tokenStoragePrefix ?? '@@lc_auth_token:'
  const moves: Array<[string, string]> = [
    [`${prefix}${options.licenseId}${group}`, `${prefix}${options.organizationId}${group}`],
    [`side_storage_${options.licenseId}${group}`, sideStorageKey(options)],
  ]
  for (const [from, to] of moves) {
    try {
      const value = storage.getItem(from)
      if (value === null) continue
      storage.setItem(to, value)
      storage.removeItem(from)
    } catch {
      // storage that cannot be read or written (private mode): nothing to move
    }
  }
}
