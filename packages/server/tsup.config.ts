import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

export default defineConfig([
  ...(Array.isArray(packageBuild) ? packageBuild : [packageBuild]),
  {
    // the `rapport-server` bin (ESM: it awaits the server at top level)
    entry: ['src/main.ts'],
    format: ['esm'],
    platform: 'node',
    target: 'es2022',
    sourcemap: true,
    dts: false,
    clean: false,
  },
])
