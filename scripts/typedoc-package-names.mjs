// TypeDoc plugin: names each entry point's module after the import path users write
// (`@rapport/core`, `@rapport/node/testing`) rather than its folder (`core/src`).
import { readFileSync } from 'node:fs'
import { Converter, ReflectionKind } from 'typedoc'

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const match = /^([\w-]+)\/src(?:\/([\w-]+))?$/.exec(module.name)
      if (!match) continue
      const [, folder, entry] = match
      const { name } = JSON.parse(readFileSync(new URL(`../packages/${folder}/package.json`, import.meta.url), 'utf8'))
      module.name = entry ? `${name}/${entry}` : name
    }
  })
}
