// The `proofsheet` command compiled ahead of time: one ES module (out/cli/proofsheet.mjs) that
// plain Node runs, so no TypeScript is transformed at each call. `npm run build` builds it;
// `npm run cli` (scripts/cli.mjs) rebuilds it first when a source it was built from changed.
//
// What makes the built command start fast:
// - zod and the engine are one file: Node resolves and links one module instead of hundreds.
// - Native modules stay outside the bundle (they are .node binaries) and sharp, the heaviest
//   (about as long to load as the rest of the command), is loaded on its first call, so commands
//   that never touch pixels (providers, queue, estimate, keys) do not pay for it; electron-log
//   likewise, at the first line a command logs.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CLI_ENTRY = join(ROOT, 'src/cli/main.ts')
export const CLI_OUT = join(ROOT, 'out/cli/proofsheet.mjs')
/** The sources the bundle was built from (esbuild's inputs), to tell whether it is stale. */
export const CLI_INPUTS = join(ROOT, 'out/cli/inputs.json')
const NATIVE = ['better-sqlite3', 'keytar', 'sharp']
/**
 * Loaded at their first use instead of at start (each is a runtime dependency in node_modules):
 * sharp, the heaviest, about as long to load as the rest of the command; electron-log, which only
 * a command that writes a log line needs (src/main/core/logs/file-log.ts opens the file then).
 */
const LAZY = ['sharp', 'electron-log/node']

/**
 * An esbuild plugin that replaces `import x from 'MODULE'` (for each of `modules`) with a small
 * module of our own, `contents(MODULE)`, which reaches the real one through `require` (the real
 * one stays outside the bundle: the stand-in's own import of it resolves as external).
 */
function standIn(name, modules, contents) {
  const namespace = `proofsheet:${name}`
  const filter = new RegExp(`^(${modules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`)
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) => (args.namespace === namespace ? { path: args.path, external: true } : { path: args.path, namespace }))
      build.onLoad({ filter: /.*/, namespace }, (args) => ({ loader: 'js', resolveDir: ROOT, contents: contents(args.path) }))
    },
  }
}

/**
 * `import sharp from 'sharp'` (or electron-log) in the engine becomes a stand-in that requires the
 * module the first time it is called, constructed or a property of it is read (sharp.versions,
 * electronLog.create(...)), so it behaves as the module does, only loaded later. The require is
 * synchronous: a crash line written from an exit handler is not lost waiting for an import.
 */
const lazyModules = standIn('lazy', LAZY, (path) =>
  [
    "import { createRequire } from 'node:module'",
    'let real',
    `const load = () => (real ??= createRequire(import.meta.url)(${JSON.stringify(path)}))`,
    `export default new Proxy(function ${path.replace(/\W/g, '_')}() {}, {`,
    '  apply: (_, self, args) => Reflect.apply(load(), self, args),',
    '  construct: (_, args) => Reflect.construct(load(), args),',
    '  get: (_, key) => Reflect.get(load(), key),',
    '  has: (_, key) => Reflect.has(load(), key),',
    '})',
  ].join('\n'),
)

/**
 * `import BetterSqlite3 from 'better-sqlite3'` becomes a plain require. Imported as an ES module,
 * a CommonJS package makes Node start its CommonJS export scanner (cjs-module-lexer) and the ESM
 * translation of the package, about 3 ms of every start for a module every command needs.
 */
const requiredModules = standIn('required', ['better-sqlite3'], (path) => `import { createRequire } from 'node:module'\nexport default createRequire(import.meta.url)(${JSON.stringify(path)})`)

/** Builds the bundle; writes it under a temporary name first, so a concurrent run never reads half a file. */
export async function buildCli() {
  const { build } = await import('esbuild')
  const started = new Date()
  const result = await build({
    entryPoints: [CLI_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: NATIVE,
    plugins: [lazyModules, requiredModules],
    // Bundled CommonJS code (if any) may call require for Node's own modules.
    banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
    // Not minified: with the compile cache it starts no slower (measured), and a stack trace in an
    // "unexpected problem" report keeps its function names and lines.
    minify: false,
    sourcemap: 'linked',
    metafile: true,
    write: false,
    outfile: CLI_OUT,
    logLevel: 'warning',
    absWorkingDir: ROOT,
  })
  mkdirSync(dirname(CLI_OUT), { recursive: true })
  const tag = `.${process.pid}.tmp`
  for (const file of result.outputFiles) {
    writeFileSync(file.path + tag, file.contents)
    // Dated when the sources were read: a source saved during the build still reads as newer.
    utimesSync(file.path + tag, started, started)
    renameSync(file.path + tag, file.path)
  }
  // Paths relative to the repository; dependencies are covered by package-lock.json below.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes(':') && !p.includes('node_modules'))
  writeFileSync(CLI_INPUTS + tag, JSON.stringify({ inputs }))
  renameSync(CLI_INPUTS + tag, CLI_INPUTS)
}

/** True when the bundle is missing or older than a source it was built from (or this script). */
export function cliIsStale() {
  let built
  let inputs
  try {
    built = statSync(CLI_OUT).mtimeMs
    inputs = JSON.parse(readFileSync(CLI_INPUTS, 'utf8')).inputs
  } catch {
    return true
  }
  const sources = [...inputs, 'scripts/cli-build.mjs', 'package-lock.json']
  return sources.some((p) => {
    try {
      return statSync(join(ROOT, p)).mtimeMs > built
    } catch {
      return true // a source was moved or deleted: rebuild to find out
    }
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli()
