import { resolve } from 'node:path'
import { Background, MAX_IMAGES_PER_SIZE, OUTPUT_FORMATS, parseSizeText, QUALITIES, Resolution, SizeSpec, type ReferenceImage } from '../shared/api'
import { integerFlag } from './args'
import { CliError } from './cli-error'

/** The flags shared by `estimate`, `generate` and `batch`. */
export const GEN_OPTIONS = {
  provider: { type: 'string' },
  'base-url': { type: 'string' },
  key: { type: 'string' },
  'key-env': { type: 'string' },
  prompt: { type: 'string' },
  size: { type: 'string', multiple: true },
  aspect: { type: 'string' },
  resolution: { type: 'string' },
  quality: { type: 'string' },
  format: { type: 'string' },
  background: { type: 'string' },
  compression: { type: 'string' },
  'input-fidelity': { type: 'string' },
  moderation: { type: 'string' },
  user: { type: 'string' },
  n: { type: 'string' },
  ref: { type: 'string', multiple: true },
  mask: { type: 'string' },
  'partial-images': { type: 'string' },
} as const

/** GEN_OPTIONS in words, for each command's --help; the same keys as GEN_OPTIONS (a test holds them together). */
export const GEN_FLAG_HELP: Record<keyof typeof GEN_OPTIONS, string> = {
  provider: 'ID  provider profile (see "proofsheet providers"); demo works offline and free',
  'base-url': 'URL  send to this endpoint instead of the profile\'s own',
  key: 'LABEL  a key stored with "proofsheet keys add", by label or id',
  'key-env': 'VAR  the environment variable that holds the key (its name is kept with the job, never the key)',
  prompt: 'TEXT  what the image shows',
  size: 'WxH[,WxH]|auto  pixel sizes, repeatable',
  aspect: 'A:B  aspect ratio, with --resolution',
  resolution: `${Resolution.options.join('|')}  resolution tier for --aspect`,
  quality: `${QUALITIES.join('|')}  quality tier`,
  format: `${OUTPUT_FORMATS.join('|')}  file format of the images`,
  background: `${Background.options.join('|')}  background`,
  compression: '0-100  compression for jpeg and webp',
  'input-fidelity': 'high|low  how closely an edit keeps the reference (where documented)',
  moderation: 'auto|low  moderation level (where documented)',
  user: 'ID  the end user the images are for (where documented)',
  n: `N  images per size (1-${MAX_IMAGES_PER_SIZE})`,
  ref: 'FILE_OR_URL  reference image, repeatable',
  mask: 'FILE  PNG mask for an edit',
  'partial-images': '0-3  stream rough previews while the image is drawn (OpenAI only)',
}

export type GenValues = {
  provider?: string
  'base-url'?: string
  key?: string
  'key-env'?: string
  prompt?: string
  size?: string[]
  aspect?: string
  resolution?: string
  quality?: string
  format?: string
  background?: string
  compression?: string
  'input-fidelity'?: string
  moderation?: string
  user?: string
  n?: string
  ref?: string[]
  mask?: string
  'partial-images'?: string
}

/** The flags' choices, as `png|jpeg|webp`, from the contract's own lists. */
export const FORMAT_CHOICES = OUTPUT_FORMATS.join('|')
export const QUALITY_CHOICES = QUALITIES.join('|')

export const GEN_USAGE =
  `--provider ID --prompt TEXT (--size WxH[,WxH...]|auto | --aspect A:B --resolution ${Resolution.options.join('|')}) [--n N] ` +
  `[--format ${FORMAT_CHOICES}] [--quality ${QUALITY_CHOICES}] [--background ${Background.options.join('|')}] [--compression 0-100] ` +
  '[--moderation auto|low] [--input-fidelity high|low] [--user ID] [--key LABEL | --key-env VAR] [--base-url URL] [--ref FILE_OR_URL]... [--mask FILE] [--partial-images 0-3]'

/**
 * Flags to a request. Only shape is checked here (the flag exists, numbers are numbers); what a
 * provider accepts is the engine's job, so the CLI and the app refuse the same things.
 */
export function requestFromFlags(
  v: GenValues,
  resolveKeyLabel: (provider: string, label: string) => Promise<string>,
  { requirePrompt = true, requireSize = true } = {},
) {
  if (!v.provider) throw new CliError('--provider is required.', `Add --provider demo (offline) or see "proofsheet providers". Usage: ${GEN_USAGE}`, 2, '--provider')
  if (v.prompt === undefined && requirePrompt) throw new CliError('--prompt is required.', 'Add --prompt "what the image shows".', 2, '--prompt')
  if (v.key && v['key-env']) throw new CliError('--key and --key-env cannot be used together.', 'Pass one of them.', 2, '--key')

  const sizes: SizeSpec[] = []
  for (const text of (v.size ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const size = parseSizeText(text)
    if (!size || 'aspect' in size) {
      throw new CliError(`--size "${text}" is not WIDTHxHEIGHT or auto.`, 'Write it like --size 1024x1024 (lowercase x, no spaces), or --size auto where the provider picks; for aspect ratios use --aspect 16:9 --resolution 2K.', 2, '--size')
    }
    sizes.push(size)
  }
  if (v.aspect !== undefined || v.resolution !== undefined) {
    const size = SizeSpec.safeParse({ aspect: v.aspect?.trim() ?? '', resolution: v.resolution?.trim() ?? '1K' }).data
    if (!v.aspect || !size || !('aspect' in size)) {
      throw new CliError(`--aspect "${v.aspect ?? ''}" with --resolution "${v.resolution ?? '1K'}" is not valid.`, 'Write it like --aspect 16:9 --resolution 2K (resolution is 1K, 2K or 4K).', 2, '--aspect')
    }
    sizes.push(size)
  }
  if (sizes.length === 0 && requireSize) throw new CliError('No size given.', 'Add --size 1024x1024, or --aspect 1:1 --resolution 1K.', 2, '--size')

  // resolve('') is the working folder, which would then be refused as "not a file": say what is wrong.
  if (v.ref?.some((r) => r.trim() === '')) throw new CliError('--ref is empty.', 'Pass an image file or an https URL: --ref ./shoe.png', 2, '--ref')
  if (v.mask?.trim() === '') throw new CliError('--mask is empty.', 'Pass a PNG file: --mask ./mask.png', 2, '--mask')
  const n = integerFlag('n', v.n, 1, MAX_IMAGES_PER_SIZE)
  const compression = integerFlag('compression', v.compression, 0, 100)
  const partialImages = integerFlag('partial-images', v['partial-images'], 0, 3)
  const inputFidelity = choiceFlag('input-fidelity', v['input-fidelity'], ['high', 'low'])
  const moderation = choiceFlag('moderation', v.moderation, ['auto', 'low'])
  if (v.user?.trim() === '') throw new CliError('--user is empty.', 'Pass the id of the person the images are for, e.g. --user user-1234, or leave --user out.', 2, '--user')
  return async (): Promise<Record<string, unknown>> => {
    const key = v['key-env'] ? { keyEnv: v['key-env'] } : v.key ? { keyId: await resolveKeyLabel(v.provider!, v.key) } : undefined
    return {
      provider: v.provider!,
      ...(v.prompt !== undefined ? { prompt: v.prompt } : {}),
      sizes,
      ...(n !== undefined ? { n } : {}),
      ...(compression !== undefined ? { compression } : {}),
      ...(partialImages !== undefined ? { partialImages } : {}),
      ...(inputFidelity !== undefined ? { inputFidelity } : {}),
      ...(moderation !== undefined ? { moderation } : {}),
      ...(v.user !== undefined ? { user: v.user } : {}),
      ...(v.format !== undefined ? { format: v.format } : {}),
      ...(v.quality !== undefined ? { quality: v.quality } : {}),
      ...(v.background !== undefined ? { background: v.background } : {}),
      ...(v['base-url'] !== undefined ? { baseUrl: v['base-url'] } : {}),
      ...(v.ref ? { refs: v.ref.map(referenceFlag) } : {}),
      ...(v.mask !== undefined ? { mask: referenceFlag(v.mask) } : {}),
      ...(key ? { key } : {}),
    }
  }
}

/** A flag with a few fixed values: refused here with the list, before the engine sees it. */
function choiceFlag(name: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value)) throw new CliError(`--${name} "${value}" is not one of ${allowed.join(', ')}.`, `Use --${name} ${allowed.join(' or --' + name + ' ')}.`, 2, `--${name}`)
  return value
}

/**
 * The command line's edge, the one place a reference's kind is read from its text: a value that
 * starts with http(s):// is a link (plain http is refused later, with its reason), anything else a
 * local file, resolved here because the queue may run in another process with another working folder.
 */
function referenceFlag(text: string): ReferenceImage {
  return /^https?:\/\//i.test(text) ? { kind: 'link', url: text } : { kind: 'file', path: resolve(text) }
}
