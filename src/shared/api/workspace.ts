import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { Background, MAX_IMAGES_PER_SIZE, OutputFormat, Quality } from './generation'
import { NoInput, Ok, route } from './route'

/**
 * What the workspace remembers per library, so a reload or a restart comes back to the same
 * draft and the same view. The engine keeps it as given (validated, bounded) and hands it back;
 * what the values mean is the interface's business. A stored value that no longer parses (an
 * older app wrote it, or it was edited by hand) reads as absent, never as an error.
 */

export const Theme = onFirstUse(() => z.enum(['light', 'dark', 'system']))
export type Theme = z.infer<typeof Theme>

/** How much of a draft is kept: the contract refuses more, the form cuts its draft to fit before saving. */
export const DRAFT_LIMITS = { prompt: 20_000, id: 200, variableName: 200, variableValue: 5_000, sizeLabel: 40, sizes: 64 } as const

/** The Generate form as the designer left it. References are not part of it: they are per job. */
export const WorkspaceDraft = onFirstUse(() => z
  .object({
    prompt: z.string().max(DRAFT_LIMITS.prompt),
    /** The prompt template picked, or null for a hand-written prompt. */
    templateId: z.string().max(DRAFT_LIMITS.id).nullable(),
    /** What was typed for the template's variables, by variable name. */
    templateValues: z.record(z.string().max(DRAFT_LIMITS.variableName), z.string().max(DRAFT_LIMITS.variableValue)),
    providerId: z.string().max(DRAFT_LIMITS.id).nullable(),
    keyId: z.string().max(DRAFT_LIMITS.id).nullable(),
    /** As the Generate form names sizes: `1024x1024` or `16:9@2K`. */
    sizes: z.array(z.string().max(DRAFT_LIMITS.sizeLabel)).max(DRAFT_LIMITS.sizes),
    format: OutputFormat,
    quality: Quality,
    background: Background,
    compression: z.number().int().min(0).max(100).nullable(),
    n: z.number().int().min(1).max(MAX_IMAGES_PER_SIZE),
  })
  .strict())
export type WorkspaceDraft = z.infer<typeof WorkspaceDraft>

/** How the workspace is laid out. */
export const WorkspaceLayout = onFirstUse(() => z
  .object({
    theme: Theme,
    /** Gallery tile width in CSS pixels. */
    tileSize: z.number().int().min(120).max(640),
    /** Gallery images shown under one header per generation, or as one flat grid. */
    galleryGrouped: z.boolean(),
    /** The Generate panel's "More options" disclosure. */
    moreOptionsOpen: z.boolean(),
  })
  .strict())
export type WorkspaceLayout = z.infer<typeof WorkspaceLayout>

export const WorkspaceMemory = onFirstUse(() => z.object({
  draft: WorkspaceDraft.nullable(),
  layout: WorkspaceLayout.partial(),
}))
export type WorkspaceMemory = z.infer<typeof WorkspaceMemory>

export const workspaceRoutes = onFirstUse(() => ({
  'workspace.get': route(NoInput, WorkspaceMemory),
  /** Replaces the draft and/or merges layout fields; either may be left out. */
  'workspace.save': route(
    z
      .object({ draft: WorkspaceDraft.optional(), layout: WorkspaceLayout.partial().strict().optional() })
      .strict()
      .refine((s) => s.draft !== undefined || s.layout !== undefined, { message: 'send a draft or layout fields to save', path: ['draft'] }),
    Ok,
  ),
} as const))
