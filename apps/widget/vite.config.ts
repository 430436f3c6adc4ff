import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { sourceResolve } from '../../vitest.shared'

/**
 * `vite` serves the demo page (index.html); `vite build` makes the script-tag build: one
 * IIFE file, `dist/rapport-widget.js`, whose CSS is injected by each component into the
 * widget's shadow root (never into the page).
 */
export default defineConfig({
  ...sourceResolve,
  plugins: [svelte({ emitCss: false, compilerOptions: { css: 'injected' } })],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  server: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    lib: {
      entry: 'src/script.ts',
      name: 'RapportWidgetBundle',
      formats: ['iife'],
      fileName: () => 'rapport-widget.js',
    },
  },
})
