import { lazy, type ComponentType, type LazyExoticComponent } from 'react'

/**
 * A view only some sessions open (compare, the mask painter), loaded from its own chunk the first
 * time it is shown: the script parsed before the window can draw stays small. `load` must be an
 * `import()` of the view's module, so the bundler can split it out; a failed load rejects and
 * reaches the nearest error boundary like any render error.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyExoticComponent<ComponentType<P>> {
  return lazy(async () => ({ default: await load() }))
}
