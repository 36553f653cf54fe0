import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { parseSizeText, type BatchPreview, type BatchProgress, type SizeSpec } from '../../shared/api'
import { batchTemplate } from '../batch-template'
import { parse } from '../args'
import { CliError, EXIT_BAD_INPUT, EXIT_JOBS_FAILED, EXIT_OK } from '../cli-error'
import { EXITS_WITH_JOBS, type Command } from '../command-help'
import type { CliContext } from '../context'
import { GEN_FLAG_HELP, GEN_OPTIONS, requestFromFlags } from '../gen-options'
import { table, type MoneyText } from '../output'
import { queuePause } from '../queue-pause'
import { resolveKeyLabel } from './keys'

const USAGE =
  'proofsheet batch ROWS.csv --template NAME|FILE --sizes S1,S2 --provider ID [--key LABEL | --key-env VAR] [--base-url URL] [--quality Q] [--format F] [--n N] [--budget USD] [--name NAME] [--skip-invalid] [--dry-run] [--wait]'

const BATCH_OPTIONS = {
  ...GEN_OPTIONS,
  template: { type: 'string' },
  'template-name': { type: 'string' },
  sizes: { type: 'string', multiple: true },
  budget: { type: 'string' },
  name: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'skip-invalid': { type: 'boolean' },
  wait: { type: 'boolean' },
} as const

function readText(path: string, flag: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(`Cannot read the ${what} ${path} (${code ?? (err as Error).message}).`, `Check the path given as ${flag}.`, EXIT_BAD_INPUT, flag)
  }
}

function sizesFrom(texts: readonly string[]): SizeSpec[] {
  return texts
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean)
    .map((text) => {
      const size = parseSizeText(text)
      if (!size) throw new CliError(`--sizes "${text}" is not a size.`, 'Write sizes like --sizes 1024x1024,1536x1024 or --sizes 16:9@2K.', EXIT_BAD_INPUT, '--sizes')
      return size
    })
}

function budgetFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const amount = Number(text.replace(/^\$/, ''))
  if (!/^\$?\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(amount)) {
    throw new CliError(`--budget "${text}" is not an amount.`, 'Write it in the provider\'s currency, like --budget 12.50.', EXIT_BAD_INPUT, '--budget')
  }
  return amount
}

/** The first thing that stops a row, as "ROWS.csv row 7, sizes: ...". */
function firstRowProblem(preview: BatchPreview, source: string): string | null {
  const [tableProblem] = preview.problems
  if (tableProblem) return `${source}: ${tableProblem}`
  const bad = preview.rows.filter((r) => r.problems.length > 0)
  const first = bad[0]
  if (!first) return null
  const problem = first.problems[0]!
  const more = bad.length > 1 ? ` (${bad.length} rows have problems; see --dry-run)` : ''
  return `${source} row ${first.row}, ${problem.field}: ${problem.message}${more}`
}

export function describePreview(p: BatchPreview, money: MoneyText): string {
  const lines: string[] = []
  if (p.unmatchedHeaders.length) lines.push(`Columns no variable uses (ignored): ${p.unmatchedHeaders.join(', ')}`)
  for (const v of p.unfilledVariables) {
    lines.push(v.default === null ? `No column for {{${v.name}}} and no default: every row needs one.` : `{{${v.name}}} has no column; every row uses the default "${v.default}".`)
  }
  lines.push(...p.problems.map((problem) => `Problem: ${problem}`))
  const rows = p.rows.map((r) => [
    String(r.row),
    r.sku ?? '—',
    r.sizes.join(' '),
    String(r.count),
    r.problems.length ? 'invalid' : money(r.cost, p.currency),
    r.problems.length ? r.problems.map((x) => `${x.field}: ${x.message}`).join('; ') : r.prompt.length > 70 ? `${r.prompt.slice(0, 69)}…` : r.prompt,
  ])
  lines.push(table([['row', 'sku', 'sizes', 'n', 'cost', 'prompt or problem'], ...rows]))
  const total = p.total === null ? 'unknown: some sizes have no price' : money(p.total, p.currency)
  lines.push(`${p.validRows} row(s) valid, ${p.invalidRows} invalid; ${p.jobs} job(s); total ${total}${p.budget !== null ? `; budget ${money(p.budget, p.currency)}` : ''}`)
  return lines.join('\n')
}

function describeProgress(s: BatchProgress, money: MoneyText): string {
  const lines = [
    `Batch ${s.batchId}: ${s.done} done, ${s.failed} failed, ${s.remaining} remaining (${s.held} held), spent ${money(s.spent, s.currency)}`,
  ]
  for (const f of s.failures) lines.push(`  row ${f.row ?? '?'}${f.sku ? ` (${f.sku})` : ''} ${f.size}: ${f.message}`)
  if (s.heldReason) lines.push(`Held: ${s.heldReason}`)
  return lines.join('\n')
}

export const BATCH = {
  options: BATCH_OPTIONS,
  help: {
    summary: 'one job per row of a table and size; --dry-run prices it and sends nothing',
    usage: [USAGE.replace(/^proofsheet /, '')],
    flags: {
      ...GEN_FLAG_HELP,
      prompt: 'not taken: the template makes each row\'s prompt',
      ref: 'not taken: give each row its reference in a "reference" column',
      mask: 'not taken by a batch',
      template: 'NAME|FILE  a saved template\'s name, a text file with {{variables}}, or an exported templates file (required)',
      'template-name': 'NAME  which template of an exported templates file, when it holds several',
      sizes: 'S1,S2  sizes for every row (WxH or A:B@1K|2K|4K), repeatable',
      budget: 'AMOUNT  stop the batch before it spends more than this',
      name: 'NAME  the batch\'s name in the app',
      'dry-run': 'preview rows, prompts and costs; send nothing',
      'skip-invalid': 'run the valid rows, leave the invalid ones out',
      wait: 'run the batch here (a live progress line on a terminal) and print its outcome',
    },
    examples: [
      'proofsheet batch skus.csv --template packshot.json --sizes 1024x1024,1536x1024 --provider demo --dry-run',
      'proofsheet batch skus.csv --template "White background packshot" --sizes 1024x1024 --provider demo --wait',
      'proofsheet batch skus.csv --template prompt.txt --sizes 16:9@2K --provider toapis --key studio --dry-run',
      'OPENAI_KEY=... proofsheet batch skus.csv --template packshot.json --sizes 1024x1024 --provider openai --key-env OPENAI_KEY --budget 20 --wait',
    ],
    exits: EXITS_WITH_JOBS,
  },
  run: batchCommand,
} as const satisfies Command

/** `proofsheet batch`: rows of a table x a template x sizes, previewed, then queued as one batch. */
async function batchCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, BATCH.options, USAGE)
  const [rowsFile, ...extra] = positionals
  if (!rowsFile) throw new CliError('Name the table of rows: proofsheet batch ROWS.csv ...', `Usage: ${USAGE}`, EXIT_BAD_INPUT, 'ROWS.csv')
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".`, `Usage: ${USAGE}`)
  if (!values.template) {
    throw new CliError('--template is required.', 'Pass a saved template\'s name (see "proofsheet templates"), a text file with {{variables}}, or a templates file exported from Proofsheet.', EXIT_BAD_INPUT, '--template')
  }
  if (values.ref || values.mask) {
    throw new CliError('--ref and --mask do not apply to a batch.', 'Give each row its reference image in a "reference" column.', EXIT_BAD_INPUT, values.ref ? '--ref' : '--mask')
  }
  if (values.prompt !== undefined) throw new CliError('--prompt does not apply to a batch: the template makes each prompt.', 'Remove --prompt.', EXIT_BAD_INPUT, '--prompt')

  const template = await batchTemplate(values.template, values['template-name'], async () => (await ctx.call('templates.list', {})).templates)
  const path = resolve(rowsFile)
  const rowsText = readText(path, 'ROWS.csv', 'table of rows')
  const build = requestFromFlags(values, (p, l) => resolveKeyLabel(ctx, p, l), { requirePrompt: false, requireSize: false })
  const { sizes: flagSizes, ...settings } = (await build()) as { sizes: SizeSpec[] } & Record<string, unknown>
  const sizes = [...flagSizes, ...sizesFrom(values.sizes ?? [])]
  if (sizes.length === 0) throw new CliError('No size given.', 'Add --sizes 1024x1024,1536x1024.', EXIT_BAD_INPUT, '--sizes')
  const input = {
    template,
    table: rowsText,
    sourceName: basename(path),
    baseDir: dirname(path),
    settings: { ...settings, sizes },
    ...(values.budget !== undefined ? { budget: budgetFrom(values.budget) } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
  } as never

  const preview = await ctx.call('batches.preview', input)
  const problem = firstRowProblem(preview, basename(path))
  const fix = 'Fix the table (see --dry-run), or pass --skip-invalid to run only the valid rows.'
  if (values['dry-run']) {
    ctx.out.result(preview, () => describePreview(preview, ctx.out.money))
    if (problem) ctx.out.info(`error: ${problem}\nfix: ${fix}`)
    return problem ? EXIT_BAD_INPUT : EXIT_OK
  }
  if (problem && (preview.problems.length > 0 || !values['skip-invalid'] || preview.validRows === 0)) {
    throw new CliError(problem, fix, EXIT_BAD_INPUT, 'ROWS.csv')
  }

  const run = await ctx.call('batches.run', input)
  const engine = await ctx.open()
  if (!values.wait) {
    const elsewhere = engine.runnerElsewhere()
    ctx.out.result({ batchId: run.batchId, preview: run.preview, jobIds: run.jobIds }, () =>
      [
        describePreview(run.preview, ctx.out.money),
        `Queued batch ${run.batchId} (${run.jobIds.length} job(s)).`,
        elsewhere ? `The Proofsheet app (pid ${elsewhere.pid}) will run them.` : 'Run "proofsheet run" to process them, or open the app.',
      ].join('\n'),
    )
    return EXIT_OK
  }
  if (!engine.startQueue()) {
    ctx.out.info(`${engine.queueHolderNote()} Waiting for it.`)
  } else {
    ctx.out.info(`Running batch ${run.batchId}: ${run.jobIds.length} job(s) with ${run.preview.provider}...`)
  }
  const progress = ctx.out.progress(run.jobIds)
  const stopListening = engine.router.subscribe((m) => {
    if (m.event === 'job.updated') progress?.update(m.data)
  })
  const jobs = await engine.waitForJobs(run.jobIds, ctx.signal).finally(() => {
    stopListening()
    progress?.finish()
  })
  const status = await ctx.call('batches.status', { batchId: run.batchId })
  const { pauseReason, notice } = await queuePause(ctx)
  ctx.out.result({ batchId: run.batchId, preview: run.preview, status, jobs, pauseReason }, () => describeProgress(status, ctx.out.money) + notice)
  return jobs.every((j) => j.status === 'succeeded') ? EXIT_OK : EXIT_JOBS_FAILED
}
