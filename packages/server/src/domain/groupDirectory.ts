/**
 * The configured groups and their forms (customer-rtm §5.5–5.6): what the server was
 * started with, changed through the admin interface. Availability is in `groups.ts`.
 */
import type { FormConfig, FormFieldConfig, FormType, GroupConfig, ResolvedOptions } from '../options'

export type GroupStatus = 'online' | 'online_for_queue' | 'offline'

const DEFAULT_PRECHAT_FIELDS: FormFieldConfig[] = [
  { id: '1', type: 'header', label: 'Welcome to the chat! Please fill in the form below before starting the chat.' },
  { id: '2', type: 'name', label: 'Name:', required: false },
  { id: '3', type: 'email', label: 'E-mail:', required: false },
  { id: '4', type: 'question', label: 'Question:', required: true },
]

export const DEFAULT_WELCOME_MESSAGE = 'Hello! How can we help you today?'

export class GroupDirectory {
  private readonly groups = new Map<number, GroupConfig>()

  constructor(options: ResolvedOptions) {
    this.groups.set(0, { id: 0, name: 'General' })
    const configured = options.groups ?? options.agents.flatMap((agent) => (agent.groups ?? []).map((id) => ({ id })))
    for (const group of configured) this.groups.set(group.id, { ...this.groups.get(group.id), ...group })
  }

  has(groupId: number): boolean {
    return this.groups.has(groupId)
  }

  get(groupId: number): GroupConfig | undefined {
    return this.groups.get(groupId)
  }

  ids(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b)
  }

  /** Adds or changes a group (admin). */
  upsert(group: GroupConfig): GroupConfig {
    const merged = { ...this.groups.get(group.id), ...group }
    this.groups.set(group.id, merged)
    return merged
  }

  /** The form of a type for a group; `undefined` when disabled. */
  form(groupId: number, type: FormType): { id: string; fields: FormFieldConfig[] } | undefined {
    const group = this.groups.get(groupId)
    const configured = group?.forms?.[type]
    if (configured === null) return undefined
    const form: FormConfig | undefined = configured ?? (groupId === 0 && type === 'prechat' ? { fields: DEFAULT_PRECHAT_FIELDS } : undefined)
    if (!form) return undefined
    return { id: form.id ?? `${type}_${groupId}`, fields: form.fields.map((field) => ({ ...field })) }
  }

  setForm(groupId: number, type: FormType, form: FormConfig | null): void {
    const group = this.groups.get(groupId) ?? { id: groupId }
    this.groups.set(groupId, { ...group, forms: { ...group.forms, [type]: form } })
  }

  /** The first group (other than `current`) whose page prefixes match a URL. */
  groupForPage(url: string): number | undefined {
    for (const group of this.groups.values()) if (group.pages?.some((prefix) => url.startsWith(prefix))) return group.id
    return undefined
  }
}
