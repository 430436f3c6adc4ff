/** The FAQ: a keyword table in `faq.json`; a question matches the first topic one of whose keywords it contains as a word. */
import table from './faq.json' with { type: 'json' }

export interface FaqTopic {
  id: string
  /** Shown on the quick-reply button; topics without one are not offered in the menu. */
  title?: string
  keywords: string[]
  answer: string
}

export const FAQ: readonly FaqTopic[] = table.topics

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export const findTopic = (question: string, topics: readonly FaqTopic[] = FAQ): FaqTopic | undefined =>
  topics.find((topic) => topic.keywords.some((keyword) => new RegExp(`\\b${escape(keyword)}\\b`, 'iu').test(question)))
