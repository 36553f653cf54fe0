import { join } from 'node:path'
import type { Estimate, ImageView, JobView } from '../../shared/api'
import { tokenChargeText } from '../../shared/queue/charge-text'
import { noPositionals, parse } from '../args'
import { EXIT_JOBS_FAILED, EXIT_OK } from '../cli-error'
import type { CliContext } from '../context'
import { EXITS_NO_JOBS, EXITS_WITH_JOBS, usageLine, type Command } from '../command-help'
import { GEN_FLAG_HELP, GEN_OPTIONS, GEN_USAGE, requestFromFlags } from '../gen-options'
import { table, type MoneyText } from '../output'
import { queuePause } from '../queue-pause'
import { cliJobFix } from '../remedy-words'
import { resolveKeyLabel } from './keys'

export const ESTIMATE: Command<typeof GEN_OPTIONS> = {
  options: GEN_OPTIONS,
  help: {
    summary: 'cost preview; nothing is sent',
    usage: [`estimate ${GEN_USAGE}`],
    flags: GEN_FLAG_HELP,
    examples: ['proofsheet estimate --provider toapis --aspect 16:9 --resolution 2K --n 4', 'proofsheet estimate --provider openai --size 1024x1024,1536x1024 --quality high --json'],
    exits: EXITS_NO_JOBS,
  },
  run: estimateCommand,
}

export const GENERATE = {
  options: { ...GEN_OPTIONS, wait: { type: 'boolean' } },
  help: {
    summary: 'queue jobs; with --wait, run them and print the results',
    usage: [`generate ${GEN_USAGE} [--wait]`],
    flags: { ...GEN_FLAG_HELP, wait: 'run the jobs here and print the files they made (a live progress line on a terminal)' },
    examples: [
      'proofsheet generate --provider demo --prompt "white sneaker on a white desk" --size 1024x1024 --wait',
      'OPENAI_KEY=... proofsheet generate --provider openai --key-env OPENAI_KEY --prompt "poster draft" --size 1024x1536 --json',
    ],
    exits: EXITS_WITH_JOBS,
  },
  run: generateCommand,
} as const satisfies Command

async function estimateCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(ESTIMATE.help)
  const { values, positionals } = parse(argv, ESTIMATE.options, usage)
  noPositionals(positionals, usage)
  // The price does not depend on the words, so an estimate may leave the prompt out.
  const build = requestFromFlags(values, (p, l) => resolveKeyLabel(ctx, p, l), { requirePrompt: false })
  const estimate = await ctx.call('jobs.estimate', (await build()) as never)
  ctx.out.result(estimate, () => describeEstimate(estimate, ctx.out.money))
  return EXIT_OK
}

async function generateCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(GENERATE.help)
  const { values, positionals } = parse(argv, GENERATE.options, usage)
  noPositionals(positionals, usage)
  const build = requestFromFlags(values, (p, l) => resolveKeyLabel(ctx, p, l))
  const queued = await ctx.call('jobs.generate', (await build()) as never)
  const ids = queued.jobs.map((j) => j.id)
  const engine = await ctx.open()

  if (!values.wait) {
    // Without --wait this process exits at once: leave the work to a runner, not half-run here.
    const elsewhere = engine.runnerElsewhere()
    ctx.out.result({ batchId: queued.batchId, estimate: queued.estimate, jobs: queued.jobs }, () =>
      [
        describeEstimate(queued.estimate, ctx.out.money),
        `Queued ${ids.length} job(s): ${ids.join(', ')}`,
        elsewhere ? `The Proofsheet app (pid ${elsewhere.pid}) will run them.` : 'Run "proofsheet run" to process them, or open the app.',
      ].join('\n'),
    )
    return EXIT_OK
  }

  if (!engine.startQueue()) {
    ctx.out.info(`${engine.queueHolderNote()} Waiting for it to finish these jobs.`)
  } else {
    ctx.out.info(`Generating ${ids.length} job(s) with ${queued.estimate.provider}...`)
  }
  // Partial images are previews for the app's tiles; here a line says the stream is alive.
  const wanted = new Set(ids)
  const progress = ctx.out.progress(ids)
  for (const job of queued.jobs) progress?.update(job)
  const stopListening = engine.router.subscribe((m) => {
    if (m.event === 'job.updated') progress?.update(m.data)
    if (m.event === 'job.partial' && wanted.has(m.data.jobId)) {
      ctx.out.info(`${m.data.jobId}: partial image ${m.data.partialIndex + 1} of image ${m.data.imageIndex + 1} arrived`)
    }
  })
  const jobs = await engine.waitForJobs(ids, ctx.signal).finally(() => {
    stopListening()
    progress?.finish()
  })
  const detailed = await withImages(ctx, jobs)
  const failed = jobs.filter((j) => j.status !== 'succeeded')
  const { pauseReason, notice } = await queuePause(ctx)
  ctx.out.result({ batchId: queued.batchId, estimate: queued.estimate, jobs: detailed, pauseReason }, () => describeJobs(detailed, ctx.out.money) + notice)
  return failed.length > 0 ? EXIT_JOBS_FAILED : EXIT_OK
}

export type JobWithImages = JobView & { images: (ImageView & { path: string })[] }

export async function withImages(ctx: CliContext, jobs: JobView[]): Promise<JobWithImages[]> {
  return Promise.all(
    jobs.map(async (job) => ({
      ...job,
      images: await Promise.all(
        job.imageIds.map(async (id) => {
          const image = await ctx.call('gallery.get', { id })
          return { ...image, path: join(ctx.home, image.file) }
        }),
      ),
    })),
  )
}

export function describeEstimate(e: Estimate, money: MoneyText): string {
  const rows = [['size', 'images', 'each', 'subtotal'], ...e.lines.map((l) => [l.size, String(l.images), money(l.unitPrice, e.currency), money(l.subtotal, e.currency)])]
  const total = e.total === null ? 'unknown: no price is set for some sizes' : money(e.total, e.currency)
  return `${table(rows)}\nTotal ${total} (${e.source})`
}

export function describeJobs(jobs: JobWithImages[], money: MoneyText): string {
  const lines = jobs.map((j) => {
    const status = j.heldReason ? 'held' : j.status
    const head = `${j.id}  ${j.size}  ${status}  ${tokenChargeText(j, (n, c) => money(n, c)) ?? `charged ${money(j.chargedCost, j.currency)}`}`
    const held = j.heldReason ? `\n  held: ${j.heldReason}` : ''
    const fix = cliJobFix(j)
    const error = j.error ? `\n  ${j.error.kind}: ${j.error.message}${fix ? `\n  fix: ${fix}` : ''}` : ''
    // Stays after the job succeeded: the failed task may be on the bill beside the charge above.
    const failedTasks = j.failedTasks ? `\n  note: ${j.failedTasks.note}` : ''
    const files = j.images.map((i) => `\n  ${i.path}  ${i.width}x${i.height} ${i.format}`).join('')
    return head + held + error + failedTasks + files
  })
  // Held work is not done: say so plainly (the exit code is 1, as for failed jobs).
  const held = jobs.filter((j) => j.heldReason).length
  if (held > 0) {
    lines.push(`${held} job(s) held by a budget and not run; nothing was charged for them. They run once the budget allows (change it in the app's Spend view).`)
  }
  return lines.join('\n')
}

