import type { EventEntity } from '@rapport/customer-sdk'

export type TimelineItem = { kind: 'day'; key: string; date: Date } | { kind: 'event'; key: string; event: EventEntity; firstOfGroup: boolean }

const dayKey = (date: Date): string => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`

/** Events with a separator before each new day, and which events start a group by one author. */
export const timeline = (events: readonly EventEntity[]): TimelineItem[] => {
  const items: TimelineItem[] = []
  let lastDay = ''
  let lastAuthor: string | null = null
  for (const event of events) {
    const date = new Date(event.createdAt)
    const day = Number.isNaN(date.getTime()) ? lastDay : dayKey(date)
    if (day !== lastDay) {
      items.push({ kind: 'day', key: `day:${day}`, date })
      lastDay = day
      lastAuthor = null
    }
    items.push({ kind: 'event', key: event.id, event, firstOfGroup: event.authorId !== lastAuthor })
    lastAuthor = event.type === 'system_message' ? null : event.authorId
  }
  return items
}

/** "Today", "Yesterday" or the date in the widget's locale. */
export const dayLabel = (date: Date, now: Date, locale: string, today: string, yesterday: string): string => {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
  const days = Math.round((start(now) - start(date)) / 86_400_000)
  if (days === 0) return today
  if (days === 1) return yesterday
  return date.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric' })
}

export const timeLabel = (iso: string, locale: string): string => {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
}
