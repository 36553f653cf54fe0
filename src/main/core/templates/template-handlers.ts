import type { templateRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import type { TemplateLibrary } from './template-library'

/** The templates.* routes: each a thin call into the library. */
export function createTemplateHandlers(library: TemplateLibrary): Pick<Handlers, keyof typeof templateRoutes> {
  return {
    'templates.list': () => ({ templates: library.list() }),
    'templates.get': (input) => library.get(input.id),
    'templates.save': (input) => library.save(input),
    'templates.remove': (input) => ({ removed: library.remove(input.id) }),
    'templates.duplicate': (input) => library.duplicate(input.id, input.name),
    'templates.import': (input) => library.import(input.json, input.onClash),
    'templates.export': (input) => library.export(input.ids),
  }
}
