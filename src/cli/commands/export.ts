import { join, resolve } from 'node:path'
import { ExportFit, OUTPUT_FORMATS, OutputFormat, type ExportOutput, type ExportRequest, type ExportState } from '../../shared/api'
import { integerFlag, noPositionals, parse } from '../args'
import { CliError, EXIT_JOBS_FAILED, EXIT_OK } from '../cli-error'
import { EXITS_WITH_JOBS, type Command } from '../command-help'
import type { CliContext } from '../context'
import { FORMAT_CHOICES } from '../gen-options'

const USAGE =
  'proofsheet export --out DIR [--batch ID | --search TEXT | --ids ID,ID] [--naming TEMPLATE] ' +
  `[--format ${FORMAT_CHOICES}] [--quality 1-100] [--size WxH --fit cover|contain] [--preset ID]... ` +
  '[--manifest csv|json|none] [--zip]'

const EXIT_INTERRUPTED = 130
const SIZE = /^(\d{1,5})x(\d{1,5})$/

export const EXPORT = {
  options: {
    out: { type: 'string' },
    batch: { type: 'string' },
    search: { type: 'string' },
    ids: { type: 'string' },
    naming: { type: 'string' },
    format: { type: 'string' },
    quality: { type: 'string' },
    size: { type: 'string' },
    fit: { type: 'string' },
    preset: { type: 'string', multiple: true },
    manifest: { type: 'string' },
    zip: { type: 'boolean' },
  },
  help: {
    summary: 'write images to a folder with a manifest (no selector: everything)',
    usage: [USAGE.replace(/^proofsheet /, '')],
    flags: {
      out: 'DIR  the folder to write to (required)',
      batch: 'ID  the images of one batch',
      search: 'TEXT  the images whose prompt or details match',
      ids: 'ID,ID  these images',
      naming: 'TEMPLATE  file names, e.g. "{sku}-{size}"',
      format: `${FORMAT_CHOICES}  convert to this format`,
      quality: '1-100  quality for jpeg and webp',
      size: 'WxH  resize to this size, with --fit',
      fit: 'cover|contain  crop to fill, or fit inside and pad',
      preset: 'ID  a ready-made output (web-shop, social-portrait), repeatable',
      manifest: 'csv|json|none  the manifest file beside the images (default csv)',
      zip: 'also pack the folder into one zip file',
    },
    examples: ['proofsheet export --out ~/Exports/shop --batch batch_01H... --preset web-shop', 'proofsheet export --out ./covers --search poster --format webp --quality 85 --zip'],
    exits: `${EXITS_WITH_JOBS}; 130 canceled`,
  },
  run: exportCommand,
} as const satisfies Command

/** `proofsheet export`: the app's export, headless. Waits for the export and exits 0, 1 or 2. */
async function exportCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, EXPORT.options, USAGE)
  noPositionals(positionals, USAGE)
  if (!values.out) throw new CliError('--out is required: the folder to export to.', `For example --out ~/Exports/shop. Usage: ${USAGE}`, 2, '--out')
  const selectors = [values.batch, values.search, values.ids].filter((v) => v !== undefined)
  if (selectors.length > 1) throw new CliError('Give one of --batch, --search or --ids, not several.', `Usage: ${USAGE}`, 2, '--batch')

  const chosen = await outputsFrom(ctx, values)
  const request: ExportRequest = {
    folder: resolve(values.out),
    selection:
      values.batch !== undefined
        ? { kind: 'batch', batchId: values.batch }
        : values.search !== undefined
          ? { kind: 'filter', filter: { search: values.search } }
          : values.ids !== undefined
            ? { kind: 'ids', ids: values.ids.split(',').map((id) => id.trim()).filter(Boolean) }
            : { kind: 'all' },
    outputs: chosen.outputs,
    manifest: manifestFlag(values.manifest),
    zip: values.zip === true,
    // A preset's naming (it says which source size each file came from) unless --naming is given.
    ...(values.naming !== undefined ? { naming: values.naming } : chosen.naming !== undefined ? { naming: chosen.naming } : {}),
  }

  const engine = await ctx.open()
  let finished: (state: ExportState) => void = () => undefined
  const done = new Promise<ExportState>((r) => (finished = r))
  let id: string | null = null
  let shownTenth = -1
  const off = engine.router.subscribe((m) => {
    if (m.event !== 'export.progress' || m.data.id !== id) return
    const state = m.data
    const tenth = Math.floor((state.imagesDone / Math.max(1, state.images)) * 10)
    if (!ctx.out.json && state.status === 'running' && tenth > shownTenth) {
      shownTenth = tenth
      ctx.out.info(`exporting: ${state.imagesDone}/${state.images} images, ${state.files} files`)
    }
    if (state.status !== 'running') finished(state)
  })
  const cancel = () => void (id && ctx.call('exports.cancel', { id }).catch(() => undefined))
  ctx.signal.addEventListener('abort', cancel, { once: true })
  try {
    const started = await ctx.call('exports.start', request)
    id = started.id
    // It may have finished before `id` was known to the listener.
    const now = await ctx.call('exports.status', { id })
    if (now.status !== 'running') finished(now)
    const state = await done
    const summary = {
      export: state,
      folder: state.folder,
      manifest: state.manifest ? join(state.folder, state.manifest) : null,
      zip: state.zip ? join(state.folder, state.zip) : null,
    }
    ctx.out.result(summary, () =>
      [
        `${headline(state)} ${state.files} file(s) from ${state.imagesDone} of ${state.images} image(s) in ${state.folder}`,
        ...(summary.manifest ? [`manifest: ${summary.manifest}`] : []),
        ...(summary.zip ? [`zip: ${summary.zip}`] : []),
        ...(state.error ? [`error: ${state.error}`] : []),
      ].join('\n'),
    )
    return state.status === 'done' ? EXIT_OK : state.status === 'canceled' ? EXIT_INTERRUPTED : EXIT_JOBS_FAILED
  } finally {
    off()
    ctx.signal.removeEventListener('abort', cancel)
  }
}

function headline(state: ExportState): string {
  if (state.status === 'done') return 'Exported'
  if (state.status === 'canceled') return 'Canceled after writing'
  return 'Export failed after writing'
}

function manifestFlag(text: string | undefined): 'csv' | 'json' | null {
  if (text === undefined || text === 'csv') return 'csv'
  if (text === 'json') return 'json'
  if (text === 'none') return null
  throw new CliError(`--manifest "${text}" is not a manifest format.`, 'Use csv, json or none.', 2, '--manifest')
}

async function outputsFrom(
  ctx: CliContext,
  v: { format?: string; quality?: string; size?: string; fit?: string; preset?: string[] },
): Promise<{ outputs: ExportOutput[]; naming?: string }> {
  const outputs: ExportOutput[] = []
  let naming: string | undefined
  if (v.preset?.length) {
    const { presets } = await ctx.call('exports.presets', {})
    for (const id of v.preset) {
      const preset = presets.find((p) => p.id === id)
      if (!preset) throw new CliError(`--preset "${id}" is not a preset.`, `Use one of: ${presets.map((p) => p.id).join(', ')}.`, 2, '--preset')
      outputs.push(preset.output)
      naming ??= preset.naming
    }
  }
  const own = v.format !== undefined || v.quality !== undefined || v.size !== undefined || v.fit !== undefined
  if (!own && outputs.length > 0) return { outputs, ...(naming !== undefined ? { naming } : {}) }
  const output: ExportOutput = {}
  if (v.format !== undefined) {
    const format = OutputFormat.safeParse(v.format === 'jpg' ? 'jpeg' : v.format)
    if (!format.success) throw new CliError(`--format "${v.format}" is not an export format.`, `Use one of: ${OUTPUT_FORMATS.join(', ')}.`, 2, '--format')
    output.format = format.data
  }
  const quality = integerFlag('quality', v.quality, 1, 100)
  if (quality !== undefined) output.quality = quality
  if (v.size !== undefined) {
    const m = SIZE.exec(v.size.trim())
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new CliError(`--size "${v.size}" is not WIDTHxHEIGHT.`, 'For example --size 2000x2000.', 2, '--size')
    output.width = Number(m[1])
    output.height = Number(m[2])
  }
  if (v.fit !== undefined) {
    const fit = ExportFit.safeParse(v.fit)
    if (!fit.success) throw new CliError(`--fit "${v.fit}" is not a fit.`, 'Use cover (crop to fill) or contain (fit inside and pad).', 2, '--fit')
    if (v.size === undefined) throw new CliError('--fit needs --size.', 'For example --size 1080x1350 --fit cover.', 2, '--fit')
    output.fit = fit.data
  }
  outputs.push(output)
  return { outputs, ...(naming !== undefined ? { naming } : {}) }
}
