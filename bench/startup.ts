/**
 * Start-up: how long the `proofsheet` command takes to answer `providers` (open the library, list
 * the profiles, exit) next to Node starting and doing nothing (`node -e 0`), the floor no command
 * can go under. Rows: the compiled command as installed (bin/proofsheet.js), the same through
 * `npm run cli` (npm's own start-up on top), and the TypeScript sources through tsx, as
 * `npm run cli` ran before the command was compiled. Also the size of the renderer's script, what
 * the page parses before it can draw.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Store } from '../src/main/core/store/store'
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from './benchmark'
import { fillGalleryLibrary } from './gallery-library'
import { median, ms } from './stats'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** Launches of each command per repeat: a launch is short, so one is too noisy to report alone. */
const LAUNCHES = 5

interface Row {
  name: string
  command: string[]
  /** Launches per repeat (tsx takes seconds per launch, so it gets fewer). */
  launches: number
  /** Run before each launch, untimed. */
  before?: () => void
}

/** Node, better-sqlite3 and opening the library, nothing of ours (bench/startup-floor.mjs). */
const FLOOR = 'floor: node + better-sqlite3, open the library, one read (bench/startup-floor.mjs)'

/** Images in the library of the "large library" rows: the gallery benchmark's size. */
const LARGE_LIBRARY = 100_000

/** Wall time from spawning the process to its exit, in ms; a failed launch stops the benchmark. */
function launch(command: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const took = performance.now() - started
      if (code === 0) resolve(took)
      else reject(new Error(`${command.join(' ')} exited ${code}: ${stderr.trim()}`))
    })
  })
}

interface RendererScript {
  /** What index.html loads before the window can draw: its entry script and what that imports statically. */
  initial: number
  /** Every script of the build, the views loaded on first use (compare, the mask painter) included. */
  total: number
  lazy: string[]
}

/**
 * The renderer's script sizes from the build in out/renderer: the entry named by index.html plus
 * the chunks it imports statically (a split view is fetched only when it opens), and the total.
 */
function rendererScript(): RendererScript | null {
  const dir = join(ROOT, 'out', 'renderer')
  let html: string
  let files: string[]
  try {
    html = readFileSync(join(dir, 'index.html'), 'utf8')
    files = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'))
  } catch {
    return null
  }
  const size = (f: string): number => statSync(join(dir, 'assets', f)).size
  const entry = /<script[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1]
  if (!entry) return null
  // Static imports between chunks are `from"./x.js"` / `import"./x.js"` once minified; import() is lazy.
  const initial = new Set<string>()
  const visit = (f: string): void => {
    if (initial.has(f)) return
    initial.add(f)
    const code = readFileSync(join(dir, 'assets', f), 'utf8')
    for (const m of code.matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) if (files.includes(m[1]!)) visit(m[1]!)
  }
  visit(entry)
  return {
    initial: [...initial].reduce((sum, f) => sum + size(f), 0),
    total: files.reduce((sum, f) => sum + size(f), 0),
    lazy: files.filter((f) => !initial.has(f)),
  }
}

async function run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
  // Always from the current sources: a stale bundle would measure code that no longer exists.
  const build = spawnSync(process.execPath, ['scripts/cli-build.mjs'], { cwd: ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`)
  const home = mkdtempSync(join(tmpdir(), 'proofsheet-bench-startup-'))
  // A large library, closed cleanly: what opening it costs once the page check is skipped, and
  // (its clean-close mark removed first, as a crash leaves it) with the check every page read.
  const large = mkdtempSync(join(tmpdir(), 'proofsheet-bench-startup-large-'))
  const largeFile = join(large, 'library.sqlite')
  const filled = Store.open(largeFile)
  fillGalleryLibrary(filled, LARGE_LIBRARY)
  filled.close()
  log(`startup: a library of ${LARGE_LIBRARY.toLocaleString('en')} images (${(statSync(largeFile).size / 1e6).toFixed(0)} MB) written`)
  const node = process.execPath
  const rows: Row[] = [
    { name: 'node -e 0', command: [node, '-e', '0'], launches: LAUNCHES },
    { name: 'proofsheet providers (bin/proofsheet.js, compiled)', command: [node, 'bin/proofsheet.js', 'providers', '--home', home], launches: LAUNCHES },
    { name: 'proofsheet providers --json (no amounts printed for a person: no ICU)', command: [node, 'bin/proofsheet.js', 'providers', '--json', '--home', home], launches: LAUNCHES },
    { name: FLOOR, command: [node, 'bench/startup-floor.mjs', home], launches: LAUNCHES },
    { name: 'npm run cli -- providers', command: ['npm', 'run', '-s', 'cli', '--', 'providers', '--home', home], launches: LAUNCHES },
    { name: `proofsheet providers, ${LARGE_LIBRARY.toLocaleString('en')}-image library closed cleanly`, command: [node, 'bin/proofsheet.js', 'providers', '--home', large], launches: LAUNCHES },
    {
      name: `proofsheet providers, ${LARGE_LIBRARY.toLocaleString('en')}-image library after a crash (every page checked)`,
      command: [node, 'bin/proofsheet.js', 'providers', '--home', large],
      launches: LAUNCHES,
      before: () => rmSync(`${largeFile}-closed`, { force: true }),
    },
    { name: 'tsx src/cli/main.ts providers (before: sources transformed per call)', command: [node, '--import', 'tsx', 'src/cli/main.ts', 'providers', '--home', home], launches: 1 },
  ]
  const load = [loadavg()[0]!]
  const samples = new Map<string, number[]>(rows.map((r) => [r.name, []]))
  try {
    // One unmeasured launch each: creates the library and fills Node's compile cache, so the
    // figures are those of every call after the first, which is what a script calling it sees.
    for (const row of rows) {
      row.before?.()
      await launch(row.command)
    }
    for (let r = 0; r < repeats; r++) {
      // Interleaved, so a burst of load elsewhere hits every row alike.
      for (let i = 0; i < LAUNCHES; i++) {
        for (const row of rows) {
          if (i >= row.launches) continue
          row.before?.()
          samples.get(row.name)!.push(await launch(row.command))
        }
      }
      log(`repeat ${r + 1}/${repeats} done (load average ${loadavg()[0]!.toFixed(2)})`)
      load.push(loadavg()[0]!)
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
    rmSync(large, { recursive: true, force: true })
  }
  const floor = median(samples.get('node -e 0')!)
  const table = rows.map((row) => {
    const xs = samples.get(row.name)!
    return [row.name, String(xs.length), ms(median(xs)), `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`, `${(median(xs) / floor).toFixed(1)}×`]
  })
  const cli = median(samples.get(rows[1]!.name)!)
  const cliJson = median(samples.get(rows[2]!.name)!)
  // The goal is judged per repeat (each repeat's medians, side by side): met only if every one met it.
  const perRepeat = (row: Row): number[] => {
    const xs = samples.get(row.name)!
    return Array.from({ length: repeats }, (_, r) => median(xs.slice(r * row.launches, (r + 1) * row.launches)))
  }
  const nodeRuns = perRepeat(rows[0]!)
  const ratios = perRepeat(rows[1]!).map((x, r) => x / nodeRuns[r]!)
  const verdict = ratios.every((x) => x <= 3) ? 'MET' : 'MISSED'
  const libraryFloor = median(samples.get(FLOOR)!)
  const script = rendererScript()
  return {
    summary: [
      `\`proofsheet providers\` (compiled) answers in ${ms(cli)} ms, ${(cli / floor).toFixed(1)}× \`node -e 0\` (${ms(floor)} ms; goal: at most 3×): ${verdict} (each repeat: ${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')}). With \`--json\`, which prints no amount for a person and so never sets up ICU: ${ms(cliJson)} ms, ${(cliJson / floor).toFixed(1)}×.`,
      `Floor for a command that opens a library (Node, better-sqlite3, open, one read; none of our code): ${ms(libraryFloor)} ms, ${(libraryFloor / floor).toFixed(1)}× \`node -e 0\`; the command's own code adds ${ms(cli - libraryFloor)} ms.`,
      script === null
        ? 'Renderer script: not built (run `npm run build` to measure its size).'
        : `Renderer script (out/renderer/assets, minified): ${(script.initial / 1000).toFixed(1)} kB loaded before the window draws (goal: under 600 kB), ${(script.total / 1000).toFixed(1)} kB in all with the views loaded on first use (${script.lazy.map((f) => f.replace(/-[\w-]+\.js$/, '')).join(', ') || 'none'}).`,
      `Load average (1 min) during the runs: ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}.`,
    ],
    table: { head: ['command', 'launches', 'median ms', 'range ms', 'vs node -e 0'], rows: table },
    notes: [
      `Wall time from spawn to exit of a fresh process, ${LAUNCHES} launches per repeat (tsx: 1), the rows interleaved; one unmeasured launch of each first (it creates the library and fills Node's compile cache, kept in the user's cache folder: see bin/compile-cache.js). The first library is empty, so its figure is start-up, not work; the large one (the gallery benchmark's rows) shows what opening a big library adds, with and without the page check (database.ts: skipped only for a file exactly as a clean close left it).`,
      '`npm run cli` rebuilds the compiled command first when a source is newer; here it is fresh, so its row is npm\'s own start-up on top of the compiled command.',
    ],
    raw: { samples: Object.fromEntries(samples), load, rendererScript: script },
  }
}

export const startupBenchmark: Benchmark = { name: 'startup', title: 'Start-up: the command line and the renderer script', run }
