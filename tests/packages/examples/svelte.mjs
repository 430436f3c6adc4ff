import { get } from 'svelte/store'
import { connectionStore } from '@rapport/svelte'

// any source with the connection seam: here a fixed snapshot
const source = { connection: { getSnapshot: () => ({ status: 'connected', reason: null, unstable: false, nextRetryAt: null }), subscribe: () => () => {} } }
const store = connectionStore(source)
if (get(store).status !== 'connected') throw new Error(`svelte ${JSON.stringify(get(store))}`)
console.log('ok svelte esm')
