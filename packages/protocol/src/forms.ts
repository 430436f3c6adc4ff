import type { WireFormField } from './wire'

/**
 * `group_chooser` answers are the one form value whose inner key is renamed between the
 * wire (`group_id`) and the SDK (`groupId`); every other field passes through.
 */
export const renameGroupChooserKey = (fields: WireFormField[], from: string, to: string): WireFormField[] =>
  fields.map((field) => {
    if (field.type !== 'group_chooser' || typeof field.answer !== 'object' || field.answer === null) return field
    const { [from]: groupId, ...rest } = field.answer as Record<string, unknown>
    return groupId === undefined ? field : { ...field, answer: { ...rest, [to]: groupId } }
  })
