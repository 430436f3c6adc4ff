/** The widget's stores: `@rapport/svelte`, the adapter any Svelte app uses. */
export * from '@rapport/svelte'
