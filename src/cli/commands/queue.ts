import { JobStatus, type JobView } from '../../shared/api'
import { integerFlag, noPositionals, parse } from '../args'
import { CliError, EXIT_JOBS_FAILED, EXIT_OK } from '../cli-error'
import { EXITS_NO_JOBS, EXITS_WITH_JOBS, usageLine, type Command } from '../command-help'
import type { CliContext } from '../context'
import { table, type MoneyText } from '../output'
import { queuePause } from '../queue-pause'
import { cliPauseFix } from '../remedy-words'
import { describeJobs, withImages } from './generate'

export const QUEUE = {
  options: { status: { type: 'string' }, limit: { type: 'string' } },
  help: {
    summary: 'list jobs and the queue\'s state',
    usage: [`queue [--status ${JobStatus.options.join('|')}] [--limit N]`],
    flags: { status: `${JobStatus.options.join('|')}  only jobs in this state`, limit: 'N  at most N jobs (1-500, default 50)' },
    examples: ['proofsheet queue', 'proofsheet queue --status failed --json'],
    exits: EXITS_NO_JOBS,
  },
  run: queueCommand,
} as const satisfies Command

export const RUN = {
  options: {},
  help: {
    summary: 'process queued work until done; report interrupted jobs (never resent on their own)',
    usage: ['run'],
    flags: {},
    examples: ['proofsheet run', 'OPENAI_KEY=... proofsheet run --json'],
    exits: EXITS_WITH_JOBS,
  },
  run: runCommand,
} as const satisfies Command

export const RETRY = {
  options: {},
  help: {
    summary: 'queue a failed or interrupted job (or a batch\'s) again; it is charged again',
    usage: ['retry JOB_ID|BATCH_ID'],
    flags: {},
    examples: ['proofsheet retry job_01H...', 'proofsheet retry batch_01H...'],
    exits: EXITS_NO_JOBS,
  },
  run: retryCommand,
} as const satisfies Command

export const CANCEL = {
  options: {},
  help: {
    summary: 'cancel a job or a whole batch',
    usage: ['cancel JOB_ID|BATCH_ID'],
    flags: {},
    examples: ['proofsheet cancel job_01H...', 'proofsheet cancel batch_01H...'],
    exits: EXITS_NO_JOBS,
  },
  run: cancelCommand,
} as const satisfies Command

async function queueCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(QUEUE.help)
  const { values, positionals } = parse(argv, QUEUE.options, usage)
  noPositionals(positionals, usage)
  const status = values.status === undefined ? undefined : JobStatus.safeParse(values.status)
  if (status && !status.success) {
    throw new CliError(`--status "${values.status}" is not a job status.`, `Use one of: ${JobStatus.options.join(', ')}.`, 2, '--status')
  }
  const limit = integerFlag('limit', values.limit, 1, 500) ?? 50
  const [{ jobs }, state] = await Promise.all([
    ctx.call('jobs.list', { limit, ...(status ? { status: status.data } : {}) }),
    ctx.call('queue.state', {}),
  ])
  ctx.out.result({ state, jobs }, () => {
    const counts = Object.entries(state.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ')
    const why = state.pauseReason ? `\nPaused: ${state.pauseReason.message}\nfix: ${cliPauseFix(state.pauseReason)}` : ''
    const head = `Queue${state.paused ? ' (paused)' : ''}: ${counts || 'empty'}${why}`
    if (jobs.length === 0) return head
    // Failed tasks the provider may bill, which the charged column does not include.
    const notes = jobs.filter((j) => j.failedTasks).map((j) => `${j.id}: ${j.failedTasks!.note}`)
    return [head, jobTable(jobs, ctx.out.money), ...notes].join('\n')
  })
  return EXIT_OK
}

function jobTable(jobs: JobView[], money: MoneyText): string {
  return table([
    ['id', 'status', 'provider', 'size', 'tries', 'estimate', 'charged', 'prompt'],
    ...jobs.map((j) => [
      j.id,
      j.status,
      j.provider,
      j.size,
      `${j.attempts}/${j.maxAttempts}`,
      money(j.estimatedCost, j.currency),
      money(j.chargedCost, j.currency),
      j.prompt.length > 40 ? `${j.prompt.slice(0, 39)}…` : j.prompt,
    ]),
  ])
}

async function runCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(RUN.help)
  const { positionals } = parse(argv, RUN.options, usage)
  noPositionals(positionals, usage)
  const engine = await ctx.open()
  // Interrupted jobs may already have been charged: `run` (perhaps restarted by a script after a
  // crash) never sends them again on its own. It reports them; `proofsheet retry ID` is the go-ahead.
  const { jobs: interrupted } = await ctx.call('jobs.list', { limit: 500, status: 'interrupted' })
  const { jobs: queued } = await ctx.call('jobs.list', { limit: 500, status: 'queued' })
  const ids = new Set([...interrupted, ...queued].map((j) => j.id))
  const touched = new Set<string>()
  let progress: ReturnType<typeof ctx.out.progress> = null
  const off = engine.router.subscribe((m) => {
    if (m.event !== 'job.updated') return
    touched.add(m.data.id)
    // Recovered work the engine picks up on its own is counted as it shows up.
    progress?.update(m.data, true)
  })
  if (!engine.startQueue()) {
    off()
    throw new CliError(
      engine.queueHolderNote(),
      'It will process the queued work; close it first if you want to run the queue from here.',
    )
  }
  ctx.out.info(ids.size > 0 ? `Running ${ids.size} job(s)...` : 'Nothing queued; checking for recovered work...')
  progress = ids.size > 0 ? ctx.out.progress(ids) : null
  for (const job of [...interrupted, ...queued]) progress?.update(job)
  await engine.runUntilIdle(ctx.signal).finally(() => {
    off()
    progress?.finish()
  })
  for (const id of touched) ids.add(id)
  const results = await Promise.all([...ids].map((id) => ctx.call('jobs.get', { id })))
  const detailed = await withImages(ctx, results)
  const { pauseReason, notice } = await queuePause(ctx)
  ctx.out.result({ jobs: detailed, pauseReason }, () => {
    if (detailed.length === 0) return 'Nothing to run.' + notice
    const waiting = detailed.filter((j) => j.status === 'interrupted').length
    const note = waiting > 0 ? `\n${waiting} interrupted job(s) were left for you: check the provider's usage, then "proofsheet retry ID".` : ''
    return describeJobs(detailed, ctx.out.money) + note + notice
  })
  return pauseReason || results.some((j) => j.status !== 'succeeded') ? EXIT_JOBS_FAILED : EXIT_OK
}

/** `proofsheet retry`: the Retry button of the command line, for one job or a batch's failures. */
async function retryCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(RETRY.help)
  const { positionals } = parse(argv, RETRY.options, usage)
  const [id, ...extra] = positionals
  if (!id) throw new CliError('retry needs a job or batch id.', 'See failed and interrupted jobs with "proofsheet queue --status interrupted".')
  noPositionals(extra, usage)
  const next = 'Run "proofsheet run" to process it, or leave it to the open app.'
  if (id.startsWith('batch_')) {
    const result = await ctx.call('batches.retryFailed', { batchId: id })
    ctx.out.result(result, () => `Queued ${result.retried} failed or interrupted job(s) of ${id} again. ${next}`)
    return EXIT_OK
  }
  const job = await ctx.call('jobs.retry', { id })
  ctx.out.result(job, () => `${job.id} is ${job.status} again. ${next}`)
  return EXIT_OK
}

async function cancelCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(CANCEL.help)
  const { positionals } = parse(argv, CANCEL.options, usage)
  const [id, ...extra] = positionals
  if (!id) throw new CliError('cancel needs a job or batch id.', 'See ids with "proofsheet queue".')
  noPositionals(extra, usage)
  if (id.startsWith('batch_')) {
    const result = await ctx.call('batches.cancel', { batchId: id })
    ctx.out.result(result, () => `Canceled ${result.canceled} job(s) of ${id}.`)
    return EXIT_OK
  }
  const job = await ctx.call('jobs.cancel', { id })
  ctx.out.result(job, () => `${job.id} is ${job.status}.`)
  return EXIT_OK
}

