import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { ReferenceImage } from './reference-image'
import { SizeSpec } from './size'

/**
 * The normalized request every provider dialect is translated from. The option lists are spelled
 * here once: forms, flags and checks take OUTPUT_FORMATS and QUALITIES rather than listing them.
 */
export const OutputFormat = z.enum(['png', 'jpeg', 'webp'])
export type OutputFormat = z.infer<typeof OutputFormat>
export const OUTPUT_FORMATS = OutputFormat.options
/**
 * What each format can hold, for every rule that depends on it: JPEG has no alpha channel (no
 * transparent background), PNG is lossless (no compression or quality setting).
 */
export const FORMAT_TRAITS: Readonly<Record<OutputFormat, { alpha: boolean; lossy: boolean }>> = {
  png: { alpha: true, lossy: false },
  jpeg: { alpha: false, lossy: true },
  webp: { alpha: true, lossy: true },
}
export const Quality = z.enum(['auto', 'low', 'medium', 'high'])
export type Quality = z.infer<typeof Quality>
export const QUALITIES = Quality.options
export const Background = onFirstUse(() => z.enum(['auto', 'transparent', 'opaque']))
export type Background = z.infer<typeof Background>

/** Where the secret for a job comes from. The secret itself is never part of a request. */
export const KeyRef = onFirstUse(() => z.union([
  z.object({ keyId: z.string().min(1) }),
  z.object({ keyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }),
]))
export type KeyRef = z.infer<typeof KeyRef>

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
/** Characters that show nothing: spaces, zero-width spaces and joiners, direction marks, BOM. */
const INVISIBLE = /[\s\p{Cf}\p{Z}]/gu

/** Whether the text has at least one character a reader would see. */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '') !== ''
}

/**
 * What is wrong with a prompt's text, or null. A control character (NUL, escape...) is never part
 * of what a person wrote, and providers refuse or silently cut at it; a prompt of nothing but
 * invisible characters is empty however long it is. Right-to-left text, direction marks and
 * joiners inside real words are fine.
 */
export function promptTextProblem(text: string): string | null {
  const control = controlCharacterProblem(text)
  if (control) return `prompt ${control}`
  if (!hasVisibleText(text)) return 'prompt is empty (it has only invisible characters)'
  return null
}

/** "contains the control character U+0000 at character 7; remove it", or null. Tabs and line breaks are fine. */
export function controlCharacterProblem(text: string): string | null {
  const control = CONTROL.exec(text)
  if (!control) return null
  const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
  return `contains the control character U+${code} at character ${control.index + 1}; remove it`
}

const PromptText = onFirstUse(() => z
  .string()
  .trim()
  .min(1, 'prompt is empty')
  .max(32000, 'prompt is longer than 32,000 characters')
  .superRefine((text, ctx) => {
    const problem = promptTextProblem(text)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }))

/** An end-user id is a short opaque id (OpenAI's example: "user-1234"), never a document. */
export const USER_ID_MAX = 128

/** Images one generation may ask for at each size: the contract's bound, the form's and the CLI's --n. */
export const MAX_IMAGES_PER_SIZE = 10

/** Bounds of a recorded template use (a template's name is at most 80 characters, see templates.ts). */
export const TEMPLATE_USE_MAX_VALUES = 100
export const TEMPLATE_USE_VALUE_MAX = 5000

/**
 * Which prompt template, with which variable values, filled the prompt: recorded with the job
 * (the engine keeps it in the job's params and never reads it to run), so the job's settings can
 * bring the template back. The prompt itself stays the source of what was sent.
 */
export const TemplateUse = onFirstUse(() => z.strictObject({
  id: z.string().min(1, 'template.id is empty').max(200, 'template.id is longer than 200 characters'),
  name: z.string().trim().min(1, 'template.name is empty').max(80, 'template.name is longer than 80 characters'),
  values: z
    .record(
      z.string().min(1, 'a template variable name is empty').max(200, 'a template variable name is longer than 200 characters'),
      z.string().max(TEMPLATE_USE_VALUE_MAX, `a template value is longer than ${TEMPLATE_USE_VALUE_MAX} characters`),
    )
    .refine((values) => Object.keys(values).length <= TEMPLATE_USE_MAX_VALUES, `template has more than ${TEMPLATE_USE_MAX_VALUES} values`),
}).superRefine((use, ctx) => {
  // Shown again when the settings come back: no NUL or escape may hide in them (tabs, line breaks are fine).
  const texts: Array<[string, string]> = [['name', use.name], ...Object.entries(use.values).flatMap(([name, value]): Array<[string, string]> => [[`values.${name}`, name], [`values.${name}`, value]])]
  for (const [path, text] of texts) {
    const problem = controlCharacterProblem(text)
    if (problem) {
      ctx.addIssue({ code: 'custom', path: path.split('.'), message: `template.${path} ${problem}` })
      return
    }
  }
}))
export type TemplateUse = z.infer<typeof TemplateUse>

export const GenerationParams = onFirstUse(() => z.strictObject({
  provider: z.string().min(1),
  prompt: PromptText,
  quality: Quality.default('auto'),
  format: OutputFormat.default('png'),
  background: Background.optional(),
  compression: z.number().int().min(0).max(100).optional(),
  n: z.number().int().min(1).max(MAX_IMAGES_PER_SIZE).default(1),
  refs: z.array(ReferenceImage).max(16).default([]),
  /** A link is allowed by the type only so the engine can refuse it with a clear message. */
  mask: ReferenceImage.optional(),
  inputFidelity: z.enum(['low', 'high']).optional(),
  /**
   * Partial images the provider streams while it draws (0-3; 0 or absent: no streaming). Only
   * for profiles that document streaming; the final image is stored as without it.
   */
  partialImages: z.number().int().min(0).max(3).optional(),
  /** OpenAI's content-moderation level for GPT image models; `low` filters less. */
  moderation: z.enum(['auto', 'low']).optional(),
  /** An id for the person behind the request, passed on so the provider can trace abuse to them. */
  user: z
    .string()
    .trim()
    .min(1, 'user is empty')
    .max(USER_ID_MAX, `user is longer than ${USER_ID_MAX} characters`)
    .superRefine((text, ctx) => {
      const problem = controlCharacterProblem(text)
      if (problem) ctx.addIssue({ code: 'custom', message: `user ${problem}` })
    })
    .optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.example.com/v1' }).optional(),
  key: KeyRef.optional(),
  /** The template the prompt was filled from, if any (the app sends it; the CLI does not). */
  template: TemplateUse.optional(),
}))
export type GenerationParams = z.infer<typeof GenerationParams>

/** One prompt at one or more sizes: the engine makes one job per size. */
export const GenerationRequest = onFirstUse(() => GenerationParams.extend({
  sizes: z.array(SizeSpec).min(1, 'pick at least one size').max(24),
  batchId: z.string().optional(),
}))
export type GenerationRequest = z.infer<typeof GenerationRequest>

/** A cost preview needs no words: the price depends on provider, sizes and count only. */
export const EstimateRequest = onFirstUse(() => GenerationRequest.extend({
  prompt: z.string().max(32000, 'prompt is longer than 32,000 characters').default(''),
}))
export type EstimateRequest = z.infer<typeof EstimateRequest>
export type GenerationRequestInput = z.input<typeof GenerationRequest>
