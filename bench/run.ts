/**
 * Runs the benchmarks, prints their figures and records them in BENCHMARKS.md. Figures are
 * reported, never asserted: a slow machine must not fail a run. Only the sections between a
 * benchmark's markers are rewritten, so notes written by hand elsewhere in the file survive.
 *
 * npm run bench                        every benchmark
 * npm run bench -- memory --repeats 1  one benchmark, one run per measurement (quicker, noisier;
 *                                      printed only: BENCHMARKS.md takes figures of 3 runs or more)
 * npm run bench -- renderer            the interface in real Chromium (builds the renderer first;
 *                                      PROOFSHEET_SKIP_BUILD=1 measures the one in out/)
 * add --raw FILE.json to keep every individual measurement
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { describeMachine, type Benchmark, type BenchmarkResult } from './benchmark'
import { describeLoad, sampleLoad, type LoadSummary } from './load-sampler'
import { exportBenchmark } from './export'
import { galleryBenchmark } from './gallery'
import { memoryBenchmark } from './memory'
import { perImageBenchmark } from './per-image'
import { queueBenchmark } from './queue'
import { rendererBenchmark } from './renderer'
import { startupBenchmark } from './startup'

/** Every benchmark there is; add new ones here. */
const BENCHMARKS: readonly Benchmark[] = [memoryBenchmark, queueBenchmark, perImageBenchmark, galleryBenchmark, exportBenchmark, rendererBenchmark, startupBenchmark]

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const RECORD = join(repoRoot, 'BENCHMARKS.md')

const HEADER = `# Benchmarks

Figures measured by \`npm run bench\` (bench/run.ts), which runs every benchmark in \`bench/\`, prints
the figures and rewrites its own section of this file. Nothing here is a pass/fail test: machines
differ, so compare figures from the same machine.

Reproduce: \`npm ci\`, then \`npm run bench\` (all benchmarks) or \`npm run bench -- queue\` (one or more by
name: \`memory\`, \`queue\`, \`per-image\`, \`gallery\`, \`export\`, \`renderer\`, \`startup\`); \`--repeats N\` sets the runs
per measurement (default 3; a run with fewer prints its figures but does not record them here, since a
median and a range need 3). Each section says how long it took and the machine's load while it ran. The memory benchmark takes about 15 minutes
with the default 3 runs (about 5 with \`--repeats 1\`; it measures three malloc settings); the others together take a few minutes. \`renderer\`
builds the renderer first (\`PROOFSHEET_SKIP_BUILD=1\` measures the one already in \`out/\`) and needs
\`/usr/bin/chromium\`. Sections between
\`<!-- bench:NAME:begin -->\` and \`<!-- bench:NAME:end -->\` are generated; text outside them is kept as written.
`

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(head), ...rows.map(line)].join('\n')
}

/** Figures recorded in BENCHMARKS.md are medians and ranges: fewer runs than this are printed only. */
const MIN_RECORDED_REPEATS = 3

function section(bench: Benchmark, result: BenchmarkResult, repeats: number, date: string, seconds: number, load: LoadSummary): string {
  const m = describeMachine()
  return [
    `<!-- bench:${bench.name}:begin -->`,
    `## ${bench.title}`,
    '',
    `Measured ${date} on ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}, Node ${m.node}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}); ${repeats} runs per measurement; 1-minute load average while it ran ${describeLoad(load)}, sampled every second${load.max > m.cores ? ' (at times a busy machine: expect slower figures than on an idle one)' : ''}.`,
    `Reproduce: \`npm run bench -- ${bench.name}${repeats !== 3 ? ` --repeats ${repeats}` : ''}\` (took ${Math.round(seconds)} s here).`,
    '',
    ...result.summary.map((s) => `- ${s}`),
    '',
    markdownTable(result.table.head, result.table.rows),
    '',
    ...result.notes.map((n) => `${n}\n`),
    `<!-- bench:${bench.name}:end -->`,
  ].join('\n')
}

/** Replaces the benchmark's marked section, or appends it; everything else in the file stays. */
function record(name: string, text: string): void {
  const current = existsSync(RECORD) ? readFileSync(RECORD, 'utf8') : HEADER
  const begin = current.indexOf(`<!-- bench:${name}:begin -->`)
  const endMarker = `<!-- bench:${name}:end -->`
  const end = current.indexOf(endMarker)
  const next =
    begin >= 0 && end > begin
      ? current.slice(0, begin) + text + current.slice(end + endMarker.length)
      : `${current.trimEnd()}\n\n${text}\n`
  writeFileSync(RECORD, next)
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { repeats: { type: 'string', default: '3' }, raw: { type: 'string' } },
  })
  const repeats = Number(values.repeats)
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats must be a whole number of at least 1')
  const unknown = positionals.filter((p) => !BENCHMARKS.some((b) => b.name === p))
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`)
  const chosen = positionals.length > 0 ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS

  const m = describeMachine()
  console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}, Node ${m.node}`)
  const raw: Record<string, unknown> = {}
  for (const bench of chosen) {
    console.log(`\n== ${bench.title}`)
    const started = performance.now()
    const sampler = sampleLoad()
    const result = await bench.run({ repeats, log: (line) => console.log(`  ${line}`) })
    const load = sampler.stop()
    const seconds = (performance.now() - started) / 1000
    console.log(`\n${result.summary.map((s) => `* ${s}`).join('\n')}\n`)
    console.log(textTable(result.table.head, result.table.rows))
    console.log(`\n${result.notes.join('\n')}`)
    console.log(`\n(${bench.name} took ${seconds.toFixed(0)} s; load average while it ran ${describeLoad(load)})`)
    if (repeats >= MIN_RECORDED_REPEATS) record(bench.name, section(bench, result, repeats, new Date().toISOString().slice(0, 10), seconds, load))
    else console.log(`(not recorded in BENCHMARKS.md: ${repeats} run(s); figures there are medians and ranges of at least ${MIN_RECORDED_REPEATS})`)
    raw[bench.name] = result.raw
  }
  if (values.raw) writeFileSync(values.raw, `${JSON.stringify({ machine: m, results: raw }, null, 2)}\n`)
  if (repeats >= MIN_RECORDED_REPEATS) console.log(`\nRecorded in ${RECORD}`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
})
