import { defineConfig } from 'tsup'

/** The build of every publishable package: ESM + CJS + declarations from src/index.ts. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
