// Writes src/__tests__/fixtures/livechat402Exports.json: every export of @livechat/customer-sdk
// 4.0.2 (the bench installs it) with its kind, and the constants objects whole. Run once:
//   node packages/customer-sdk/scripts/extractLivechatExports.mjs
// The export-list test reads the JSON only (no network, no bench at run time).
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(new URL('../../../bench/package.json', import.meta.url))
const sdk = require('@livechat/customer-sdk')
const { version } = require('@livechat/customer-sdk/package.json')
const exports = {}
const constants = {}
for (const name of Object.keys(sdk).sort()) {
  const value = sdk[name]
  exports[name] = typeof value
  if (typeof value === 'object' && value !== null) constants[name] = { ...value }
}

// what 4.0.2's parse helpers make of typical wire objects (JSON: keys with undefined values drop out)
const base = { id: 'e1', created_at: '2024-01-01T00:00:00.000000Z', author_id: 'agent@x.com', properties: { p: { k: 1 } } }
const wire = {
  message: { ...base, type: 'message', text: 'hi', custom_id: 'c1' },
  file: { ...base, type: 'file', url: 'https://f/a.pdf', name: 'a.pdf', content_type: 'application/pdf' },
  image: { ...base, type: 'file', url: 'https://f/a.png', name: 'a.png', content_type: 'image/png', width: 1200, height: 800, thumbnail_url: 'https://f/t.png', thumbnail2x_url: 'https://f/t2.png', alternative_text: 'a cat' },
  form: { ...base, type: 'form', form_id: 'f1', fields: [{ id: 'q', type: 'question', label: 'Q?' }] },
  filledForm: { ...base, type: 'filled_form', form_id: 'f1', fields: [{ id: 'g', type: 'group_chooser', label: 'Group', answer: { id: 'o1', label: 'Sales', group_id: 2 } }, { id: 'n', type: 'name', label: 'Name', answer: 'Ann' }] },
  richMessage: { ...base, type: 'rich_message', template_id: 'cards', elements: [{ title: 'T', subtitle: 'S', image: { url: 'https://f/i.png', name: 'i.png', alternative_text: 'alt' }, buttons: [
    { type: 'message', text: 'Yes', postback_id: 'p1', user_ids: ['u'], value: 'yes', role: 'primary' },
    { type: 'url', text: 'Open', postback_id: 'p2', user_ids: ['u'], value: 'https://x', target: 'new' },
    { type: 'webview', text: 'View', postback_id: 'p3', user_ids: ['u'], value: 'https://w', webview_height: 'tall', role: 'default' },
    { type: 'cancel', text: 'No', postback_id: 'p4', user_ids: ['u'], role: 'danger' },
  ] }] },
  unknownTemplate: { ...base, type: 'rich_message', template_id: 'no_such_template', elements: [] },
  systemMessage: { ...base, type: 'system_message', text: 'Ann joined', system_message_type: 'routing.assigned', text_vars: { agent: 'Ann' } },
  custom: { ...base, type: 'custom', content: { any: ['thing'] } },
  unknownType: { ...base, type: 'no_such_type' },
}
const greeting = { id: 7, unique_id: 'g-1', displayed_first_time: true, accepted: false, addon: 'x', subtype: 'announcement', event: { ...wire.message, id: 'ge' }, agent: { id: 'a@x.com', name: 'Ann', avatar: 'https://a/ann.png', job_title: 'Support', is_bot: false } }
const forms = {
  prechat: { id: 'form-1', fields: [{ id: '1', type: 'group_chooser', label: 'G', options: [{ id: 'o', label: 'Sales', group_id: 3 }] }, { id: '2', type: 'rating', label: 'Rate', comment_label: 'Why?' }] },
  ticket: { id: 'form-2', fields: [{ type: 'header', label: 'Leave a message' }, { type: 'email', label: 'E-mail', required: true }] },
}
const parsed = {
  parseEvent: Object.fromEntries(Object.entries(wire).map(([k, e]) => [k, { input: e, output: sdk.parseEvent('t1', e) }])),
  parseMessage: { input: wire.message, output: sdk.parseMessage('t1', wire.message) },
  parseFile: { input: wire.image, output: sdk.parseFile('t1', wire.image) },
  parseFilledForm: { input: wire.filledForm, output: sdk.parseFilledForm('t1', wire.filledForm) },
  parseRichMessage: { input: wire.richMessage, output: sdk.parseRichMessage('t1', wire.richMessage) },
  parseSystemMessage: { input: wire.systemMessage, output: sdk.parseSystemMessage('t1', wire.systemMessage) },
  parseCustomEvent: { input: wire.custom, output: sdk.parseCustomEvent('t1', wire.custom) },
  parseGreeting: { input: greeting, output: sdk.parseGreeting(greeting) },
  parseForm: Object.fromEntries(Object.entries(forms).map(([k, f]) => [k, { input: f, output: sdk.parseForm(f) }])),
}
const out = new URL('../src/__tests__/fixtures/livechat402Exports.json', import.meta.url)
writeFileSync(out, `${JSON.stringify({ package: '@livechat/customer-sdk', version, exports, constants, parsed }, null, 2)}\n`)
console.log(`wrote ${out.pathname}`)
