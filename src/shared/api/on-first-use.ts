/**
 * A value built the first time anything reads it, and kept from then on. The contract's schemas
 * and route maps are declared with it: the ~1,800 zod schemas of every route, all built when the
 * modules loaded, were a tenth to a third of the command line's start-up, while one call needs
 * the schemas of its own route prefix only (`providers --json` builds a few dozen). Declarations read as before (`export const X = onFirstUse(() => z.object(...))`),
 * its type is the built value's, so `z.infer<typeof X>` and every import stay as they are.
 *
 * It is a stand-in that hands every read, write and question to the built value; the build runs
 * once, and only on such a use (importing, passing it around or putting it inside another
 * schema's declaration builds nothing). It must not be read at a module's top level, which would
 * build it at start again. Only objects can be stood in for (a schema, a route map): an array
 * stays eager, since `Array.isArray` cannot be answered for it.
 *
 * Marked free of side effects, as zod's own constructors are, so a bundle still drops the
 * declarations nobody imports (the renderer uses a part of the contract only).
 */
export /*@__NO_SIDE_EFFECTS__*/ function onFirstUse<T extends object>(build: () => T): T {
  let built: T | undefined
  const real = (): T => (built ??= build())
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported configurable: the stand-in itself holds none of them, and a proxy may only call a
    // property fixed (zod's `_zod` is) when its own target has it so.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key)
      return descriptor && { ...descriptor, configurable: true }
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  })
}
