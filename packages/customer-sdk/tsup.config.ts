import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

export default defineConfig([
  ...(Array.isArray(packageBuild) ? packageBuild : [packageBuild]),
  {
    // the script-tag build: `<script src=".../customer-sdk.global.js">` defines `window.CustomerSDK`
    entry: { 'customer-sdk': 'src/index.ts' },
    format: ['iife'],
    globalName: 'CustomerSDK',
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    target: 'es2020',
    dts: false,
    clean: false,
  },
])
