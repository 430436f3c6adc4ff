import { defaultClientConditions, defaultServerConditions, type UserConfig } from 'vite'

/**
 * Resolve sibling workspace packages from their TypeScript sources (the
 * `@rapport/source` export condition), so nothing needs building before a test.
 */
export const sourceResolve: Pick<UserConfig, 'resolve' | 'ssr'> = {
  resolve: { conditions: ['@rapport/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@rapport/source', ...defaultServerConditions] } },
}
