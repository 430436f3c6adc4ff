import { getContext, setContext } from 'svelte'
import type { ResolvedConfig } from '../config'
import type { Translate } from '../i18n'

export interface WidgetContext {
  config: ResolvedConfig
  t: Translate
}

const KEY = Symbol('rapport.widget')

export const setWidgetContext = (context: WidgetContext): void => void setContext(KEY, context)
export const getWidgetContext = (): WidgetContext => getContext<WidgetContext>(KEY)
