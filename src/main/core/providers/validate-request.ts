import { badInput, FORMAT_TRAITS, parseSizeText, sizeLabel, type GenerationRequest, type SizeSpec } from '../../../shared/api'
import { safeUrl } from './http/provider-http'
import { customSizeIssue, nearestMultiple, sideMultiple } from '../../../shared/sizes/pixel-size-rules'
import { CREDENTIALS_FIX, hasCredentials, urlForDisplay } from './http/url-credentials'
import { validateOptions } from './validate-options'
import type { ProviderProfile } from './profile'

/**
 * Checks a request against what the profile says its provider accepts, before anything is
 * queued or sent. Each refusal names the field and lists what would work.
 */
export function validateRequest(profile: ProviderProfile, req: Omit<GenerationRequest, "key" | "batchId">): void {
  if (req.prompt.length > profile.maxPromptLength) {
    throw badInput('prompt', `The prompt is ${req.prompt.length} characters; ${profile.name} accepts up to ${profile.maxPromptLength}.`, 'Shorten the prompt.')
  }
  if (!profile.formats.includes(req.format)) {
    throw badInput('format', `${profile.name} does not return ${req.format}.`, `Use one of: ${profile.formats.join(', ')}.`)
  }
  if (req.n > profile.maxImagesPerJob) {
    throw badInput('n', `${profile.name} makes at most ${profile.maxImagesPerJob} images per size.`, `Set n between 1 and ${profile.maxImagesPerJob}.`)
  }
  for (const option of profile.unsupportedOptions ?? []) {
    const value = req[option]
    // Auto leaves the choice to the provider, which is all a provider without the field does.
    if (value === undefined || value === 'auto') continue
    throw badInput(
      option,
      `${profile.name} has no ${option} setting (its API takes none), so ${option} "${value}" cannot be honoured.`,
      `Leave ${option} on auto, or choose a provider that offers it.`,
    )
  }
  if (req.background === 'transparent' && !FORMAT_TRAITS[req.format].alpha) {
    throw badInput('background', 'A transparent background needs png or webp; jpeg has no transparency.', 'Choose png or webp, or an opaque background.')
  }
  if (req.compression !== undefined && !FORMAT_TRAITS[req.format].lossy) {
    throw badInput('compression', 'Compression applies to jpeg and webp only.', 'Remove compression or choose jpeg or webp.')
  }
  if (req.partialImages !== undefined && req.partialImages > 0 && profile.streaming !== true) {
    throw badInput('partialImages', `${profile.name} does not stream partial images.`, 'Turn partial previews off (0), or choose a provider that streams partial images.')
  }
  if (req.baseUrl !== undefined && hasCredentials(req.baseUrl)) {
    throw badInput('baseUrl', `Refusing the base URL ${urlForDisplay(req.baseUrl)}: it carries a user name or password, which would be stored with the job and shown in messages.`, CREDENTIALS_FIX)
  }
  validateOptions(profile, req)
  if (req.baseUrl !== undefined && !safeUrl(req.baseUrl)) {
    throw badInput('baseUrl', `Refusing the base URL ${urlForDisplay(req.baseUrl)}: the API key would travel unencrypted.`, 'Use an https URL (plain http is allowed only to this machine, for test servers).')
  }
  const seen = new Set<string>()
  for (const size of req.sizes) {
    const label = sizeLabel(size)
    if (seen.has(label)) throw badInput('sizes', `The size ${label} is listed twice.`, 'List each size once.')
    seen.add(label)
    checkSize(profile, size)
  }
}

function checkSize(profile: ProviderProfile, size: SizeSpec): void {
  const rule = profile.sizes
  const label = sizeLabel(size)
  if ('auto' in size) {
    if (rule.kind === 'pixels' && rule.auto) return
    throw badInput('size', `${profile.name} does not document size "auto".`, autoFix(rule))
  }
  if (rule.kind === 'aspect') {
    if (!('aspect' in size)) {
      throw badInput('size', `${profile.name} takes an aspect ratio and a resolution, not pixels (${label}).`, { code: 'size_kind', takes: 'aspect', examples: matrixExamples(rule.matrix) })
    }
    const valid = rule.matrix[size.resolution]
    if (!valid) throw badInput('resolution', `${profile.name} has no ${size.resolution} tier.`, `Use one of: ${Object.keys(rule.matrix).join(', ')}.`)
    if (!valid.includes(size.aspect)) {
      throw badInput('size', `${size.aspect} is not available at ${size.resolution} on ${profile.name}.`, `At ${size.resolution} use: ${valid.join(', ')}.`)
    }
    return
  }
  if (!('width' in size)) {
    throw badInput('size', `${profile.name} takes pixel sizes (WxH), not an aspect ratio (${label}).`, { code: 'size_kind', takes: 'pixels', examples: rule.suggested.slice(0, 3) })
  }
  const step = sideMultiple(profile.modelId, rule.custom, rule.suggested.includes(label))
  if (size.width % step !== 0 || size.height % step !== 0) {
    const nearest = nearestMultiple(size, step)
    const nearestLabel = sizeLabel(nearest)
    // A profile's own list may hold sizes the model refuses (a custom profile's): offer only the others.
    const listed = rule.suggested
      .filter((text) => {
        const listedSize = parseSizeText(text)
        return listedSize !== undefined && sizeProblem(profile, listedSize) === null
      })
      .slice(0, 6)
    const fix = sizeProblem(profile, nearest) === null ? `Use ${nearestLabel}, the nearest size that works.` : listed.length > 0 ? `Use one of: ${listed.join(', ')}.` : `Use a size whose sides are multiples of ${step}.`
    throw badInput('size', `${label} does not work on ${profile.name} (${profile.modelId}): both sides must be multiples of ${step} px.`, fix)
  }
  if (rule.suggested.includes(label)) return
  const custom = rule.custom
  if (!custom) {
    throw badInput('size', `${profile.name} does not offer ${label}.`, `Use one of: ${rule.suggested.join(', ')}.`)
  }
  const issue = customSizeIssue(custom, size)
  if (!issue) return
  const examples = `for example ${rule.suggested.slice(0, 3).join(', ')}`
  switch (issue.code) {
    case 'side_limits': {
      const multiple = issue.multipleOf > 1 ? `, multiples of ${issue.multipleOf}` : ''
      throw badInput('size', `${label} is outside what ${profile.name} accepts.`, `Each side must be ${issue.min}–${issue.max} px${multiple}; ${examples}.`)
    }
    case 'too_wide':
      throw badInput('size', `${label} is wider than ${profile.name} allows (at most ${issue.maxAspect}:1).`, `Use a less extreme ratio; ${examples}.`)
    case 'pixel_count':
      throw badInput('size', `${label} has ${issue.pixels.toLocaleString('en-US')} pixels; ${profile.name} takes ${issue.minPixels.toLocaleString('en-US')} to ${issue.maxPixels.toLocaleString('en-US')}.`, `Pick a size in that range; ${examples}.`)
  }
}

/** The refusal checkSize would give, or null: used to offer only a size that really works. */
function sizeProblem(profile: ProviderProfile, size: SizeSpec): string | null {
  try {
    checkSize(profile, size)
    return null
  } catch (err) {
    return (err as Error).message
  }
}

function autoFix(rule: ProviderProfile['sizes']): string {
  return rule.kind === 'pixels'
    ? `Pick a size instead, e.g. ${rule.suggested.slice(0, 3).join(', ')}.`
    : `Pick an aspect ratio and resolution instead, e.g. ${matrixExamples(rule.matrix).join('; ')}.`
}

/** Each tier with its aspect ratios, e.g. "1K: 1:1 16:9". */
function matrixExamples(matrix: Record<string, string[]>): string[] {
  return Object.entries(matrix).map(([res, aspects]) => `${res}: ${aspects.join(' ')}`)
}
