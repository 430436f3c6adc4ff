import { parseEvent } from '@rapport/protocol'

const event = parseEvent({ id: 'E1', type: 'message', text: 'Hi!', author_id: 'agent@example.com', created_at: '2026-01-01T10:00:00.000000Z', visibility: 'all' }, 'T1')
if (event?.type !== 'message' || event.text !== 'Hi!' || event.authorId !== 'agent@example.com') throw new Error(`unexpected ${JSON.stringify(event)}`)
console.log('ok protocol esm')
