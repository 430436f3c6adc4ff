import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

// the library from src/index.ts, and the `rapport` command (src/cli/main.ts → dist/cli.js)
export default defineConfig([packageBuild, { entry: { cli: 'src/cli/main.ts' }, format: ['esm'], clean: false, sourcemap: true, target: 'es2022', platform: 'node' }])
