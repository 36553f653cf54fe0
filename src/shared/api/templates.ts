import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { groupDigits } from '../format/digits'
import { controlCharacterProblem } from './generation'
import { NoInput, route } from './route'

/**
 * Prompt templates: a name, a body with {{variables}} (rules in shared/templates/template-text.ts),
 * a default per variable and notes. Names are unique regardless of case.
 */

export const TEMPLATE_NAME_MAX = 80
export const TEMPLATE_BODY_MAX = 32000
export const TEMPLATE_DEFAULT_MAX = 2000
export const TEMPLATE_NOTES_MAX = 4000

/** The form under which two names count as the same (what "unique, case-insensitive" compares). */
export function templateNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

export const TemplateView = onFirstUse(() => z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  /** The body's variables, each once, in order of first use. */
  variables: z.array(z.string()),
  /** Only variables that have a default appear here. */
  defaults: z.record(z.string(), z.string()),
  notes: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
}))
export type TemplateView = z.infer<typeof TemplateView>

/** What a user writes: also the shape of one entry in an exported file. */
export const TemplateFields = onFirstUse(() => z.strictObject({
  name: z.string().trim().min(1, 'name is empty').max(TEMPLATE_NAME_MAX, `name is longer than ${TEMPLATE_NAME_MAX} characters`),
  body: z
    .string()
    .trim()
    .min(1, 'body is empty')
    .max(TEMPLATE_BODY_MAX, `body is longer than ${groupDigits(TEMPLATE_BODY_MAX)} characters`)
    // The body becomes prompts, and a prompt may not carry a NUL or an escape: refuse it here, once.
    .superRefine((text, ctx) => {
      const problem = controlCharacterProblem(text)
      if (problem) ctx.addIssue({ code: 'custom', message: `body ${problem}` })
    }),
  defaults: z
    .record(z.string(), z.string().max(TEMPLATE_DEFAULT_MAX, `a default is longer than ${TEMPLATE_DEFAULT_MAX} characters`))
    .default({}),
  notes: z.string().trim().max(TEMPLATE_NOTES_MAX, `notes are longer than ${TEMPLATE_NOTES_MAX} characters`).default(''),
}))
export type TemplateFields = z.infer<typeof TemplateFields>
export type TemplateFieldsInput = z.input<typeof TemplateFields>

/** An exported file: `format` says what it is, `version` which rules it follows. */
export const TEMPLATE_FILE_FORMAT = 'proofsheet.templates'
export const TEMPLATE_FILE_VERSION = 1
export interface TemplateFile {
  format: typeof TEMPLATE_FILE_FORMAT
  version: typeof TEMPLATE_FILE_VERSION
  exportedAt: string
  templates: TemplateFields[]
}

/**
 * What an import does with a template whose name the library already has: `refuse` (the
 * default) imports nothing and names the clashes, so the user chooses one of the others.
 */
export const TemplateClash = onFirstUse(() => z.enum(['refuse', 'rename', 'replace', 'skip']))
export type TemplateClash = z.infer<typeof TemplateClash>

export const TemplateImportResult = onFirstUse(() => z.object({
  imported: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      action: z.enum(['created', 'replaced', 'renamed']),
      /** For `renamed`: the name in the file. */
      from: z.string().optional(),
    }),
  ),
  skipped: z.array(z.string()),
}))
export type TemplateImportResult = z.infer<typeof TemplateImportResult>

const Id = onFirstUse(() => z.strictObject({ id: z.string().min(1) }))

export const templateRoutes = onFirstUse(() => ({
  'templates.list': route(NoInput, z.object({ templates: z.array(TemplateView) })),
  'templates.get': route(Id, TemplateView),
  /** Creates a template, or with `id` replaces that one's fields. */
  'templates.save': route(TemplateFields.extend({ id: z.string().min(1).optional() }), TemplateView),
  'templates.remove': route(Id, z.object({ removed: z.boolean() })),
  /** A copy under `name`, or "<name> copy" (numbered if that is taken). */
  'templates.duplicate': route(
    Id.extend({ name: TemplateFields.shape.name.optional() }),
    TemplateView,
  ),
  /** `json` is the file's text; every entry is checked before anything is written. */
  'templates.import': route(
    z.strictObject({ json: z.string().max(5_000_000, 'the file is larger than 5 MB'), onClash: TemplateClash.default('refuse') }),
    TemplateImportResult,
  ),
  /** The given templates (all without `ids`) as a file's text and a suggested file name. */
  'templates.export': route(
    z.strictObject({ ids: z.array(z.string().min(1)).max(10_000).optional() }),
    z.object({ fileName: z.string(), json: z.string(), count: z.number().int() }),
  ),
} as const))
