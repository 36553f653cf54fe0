/**
 * Each feature owns its routes: a route's prefix names the contract file that declares it
 * (src/shared/api/<prefix>.ts) and the one engine file that handles it (the table below, which
 * src/shared/api/README.md repeats). Checked over the whole route map, so a route cannot be
 * declared or handled anywhere else, and a new prefix cannot arrive without its two files.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { api, type RouteName } from '../../../src/shared/api/contract'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const CONTRACT_DIR = join(ROOT, 'src/shared/api')
const ENGINE_DIR = join(ROOT, 'src/main/core')

/** Prefix → the file under src/main/core that registers every route with that prefix. */
const HANDLER_FILES: Record<string, string> = {
  providers: 'providers/provider-handlers.ts',
  keys: 'secrets/key-handlers.ts',
  refs: 'media/ref-handlers.ts',
  jobs: 'generation/job-handlers.ts',
  queue: 'queue/queue-handlers.ts',
  batches: 'batches/batch-handlers.ts',
  gallery: 'gallery/gallery-handlers.ts',
  templates: 'templates/template-handlers.ts',
  spend: 'spend/spend-handlers.ts',
  budgets: 'spend/budget-handlers.ts',
  exports: 'export/export-handlers.ts',
  workspace: 'workspace/workspace-handlers.ts',
  prompts: 'prompts/prompt-handlers.ts',
  library: 'library/library-handlers.ts',
}

const routeNames = Object.keys(api) as RouteName[]
const prefixOf = (name: string) => name.slice(0, name.indexOf('.'))
const routesWithPrefix = (prefix: string) => routeNames.filter((n) => prefixOf(n) === prefix).sort()

function isRouteMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const entries = Object.values(value)
  return entries.length > 0 && entries.every((v) => typeof v === 'object' && v !== null && 'input' in v && 'output' in v)
}

function engineFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return engineFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Route names written as object keys (`'batches.run': ...`) in a source file. */
function registeredRoutes(source: string): string[] {
  const keys = [...source.matchAll(/['"]([a-z]+\.[a-zA-Z]+)['"]\s*:/g)].map((m) => m[1]!)
  return keys.filter((k) => Object.prototype.hasOwnProperty.call(api, k))
}

describe('route owners', () => {
  it('every prefix in the route map has a contract file named after it and a handler file', () => {
    const prefixes = [...new Set(routeNames.map(prefixOf))].sort()
    const contractFiles = new Set(readdirSync(CONTRACT_DIR))
    const handlerFiles = new Set(engineFiles(ENGINE_DIR).map((f) => relative(ENGINE_DIR, f)))
    for (const prefix of prefixes) {
      expect(contractFiles.has(`${prefix}.ts`), `src/shared/api/${prefix}.ts for ${prefix}.*`).toBe(true)
      expect(HANDLER_FILES[prefix], `a handler file for ${prefix}.* in this test's table`).toBeDefined()
      expect(handlerFiles.has(HANDLER_FILES[prefix]!), `src/main/core/${HANDLER_FILES[prefix]} for ${prefix}.*`).toBe(true)
    }
    // No row for a prefix that no longer exists.
    expect(Object.keys(HANDLER_FILES).sort()).toEqual(prefixes)
  })

  it("each contract file declares exactly its prefix's routes, and only it declares them", async () => {
    const declaredIn = new Map<string, string[]>()
    for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.ts'))) {
      // contract.ts gathers every map into `api`, and index.ts re-exports it.
      if (file === 'contract.ts' || file === 'index.ts') continue
      const module = (await import(join(CONTRACT_DIR, file))) as Record<string, unknown>
      for (const value of Object.values(module)) {
        if (!isRouteMap(value)) continue
        for (const name of Object.keys(value)) {
          declaredIn.set(name, [...(declaredIn.get(name) ?? []), file])
          expect(`${prefixOf(name)}.ts`, `${name} is declared in ${file}`).toBe(file)
        }
      }
    }
    for (const name of routeNames) expect(declaredIn.get(name), `where ${name} is declared`).toEqual([`${prefixOf(name)}.ts`])
  })

  it("each handler file registers exactly its prefix's routes, and no other engine file registers any", () => {
    const registeredIn = new Map<string, string[]>()
    for (const file of engineFiles(ENGINE_DIR)) {
      const rel = relative(ENGINE_DIR, file)
      for (const name of registeredRoutes(readFileSync(file, 'utf8'))) {
        registeredIn.set(name, [...(registeredIn.get(name) ?? []), rel])
        expect(rel, `${name} is registered in src/main/core/${rel}`).toBe(HANDLER_FILES[prefixOf(name)])
      }
    }
    for (const name of routeNames) expect(registeredIn.get(name), `where ${name} is handled`).toEqual([HANDLER_FILES[prefixOf(name)]])
    for (const [prefix, rel] of Object.entries(HANDLER_FILES)) {
      expect(registeredRoutes(readFileSync(join(ENGINE_DIR, rel), 'utf8')).sort(), basename(rel)).toEqual(routesWithPrefix(prefix))
    }
  })
})
