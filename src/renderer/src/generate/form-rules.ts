import {
  FORMAT_TRAITS,
  parseSizeText,
  sizeLabel,
  type Background,
  type KeyInfo,
  type OutputFormat,
  type ProviderSummary,
  type Quality,
  type SizeSpec,
} from '../../../shared/api'
import { plural } from '../../../shared/format/plural'
import { sameShape, sizeForTarget } from '../../../shared/sizes/channel-size'
import type { PixelSize } from '../../../shared/sizes/pixel-size-rules'
import { pixelSizeOf } from '../../../shared/sizes/size-shapes'
import { FORMAT_NAMES } from '../ui/format/output-format'
import { sizeFits } from './custom-size'
import { referenceProblem, takesMask, tooManyReferences, type DraftReference, type FileReference } from './references/reference-rules'

/**
 * What the Generate form does by itself when the provider changes under it: the size it starts
 * with, the key it picks, and what it keeps, replaces or flags when moving settings from one
 * provider to another. Pure functions, so each rule is tested without a page; every change they
 * make comes back as a phrase the form shows, so nothing changes behind the designer's back.
 */

/** The size every provider starts on when none is chosen: 1024x1024 where offered, else its first. */
export function defaultSize(provider: ProviderSummary): string | null {
  const labels = offeredLabels(provider)
  if (labels.includes('1024x1024')) return '1024x1024'
  return labels[0] ?? null
}

/** The provider's sizes by the names the form keeps its choices under (see sizeLabel). */
export function offeredLabels(provider: ProviderSummary): string[] {
  return provider.sizes.map(sizeLabel)
}

/** The provider a fresh form starts on: one the user can use right away, else the first. */
export function defaultProvider(providers: readonly ProviderSummary[], keys: readonly KeyInfo[]): ProviderSummary | undefined {
  const withKey = providers.find((p) => p.needsKey && keys.some((k) => k.provider === p.id && k.available))
  return withKey ?? providers.find((p) => !p.needsKey) ?? providers[0]
}

/** The key to choose without asking: the provider's only key, when it can be read. */
export function soleKey(provider: ProviderSummary, keys: readonly KeyInfo[]): string | null {
  if (!provider.needsKey) return null
  const own = keys.filter((k) => k.provider === provider.id)
  return own.length === 1 && own[0]!.available ? own[0]!.id : null
}

/** The key a form on this provider keeps: its own stored key if it still exists, else the sole one. */
export function keyFor(provider: ProviderSummary, keys: readonly KeyInfo[], keyId: string | null): string | null {
  if (!provider.needsKey) return null
  if (keyId !== null && keys.some((k) => k.id === keyId && k.provider === provider.id)) return keyId
  return soleKey(provider, keys)
}

/** The format a form on this provider keeps: the same one if offered, else the provider's first. */
export function formatFor(provider: ProviderSummary, format: OutputFormat): OutputFormat {
  if (provider.formats.includes(format)) return format
  return provider.formats[0] ?? 'png'
}

/**
 * The provider's size closest to one it does not offer. A size it lists with the same shape and
 * about as many pixels (within a factor of two) is its own version of it, so a switch there and
 * back returns to where it started; otherwise the channel-size rule (src/shared/sizes) decides:
 * the same proportions first, then the smallest size that covers the pixels, else the largest,
 * custom sizes included where the provider takes them. `auto` has no shape: it becomes the
 * provider's first sized choice. Null when the provider lists no sizes.
 */
export function nearestSize(provider: ProviderSummary, size: string): string | null {
  const spec = parseSizeText(size)
  const wanted = spec ? pixelSizeOf(spec) : null
  if (wanted) {
    const area = (p: PixelSize): number => p.width * p.height
    const own = provider.sizes
      .map((offered) => ({ offered, pixels: pixelSizeOf(offered) }))
      .filter((o): o is { offered: SizeSpec; pixels: PixelSize } => o.pixels !== null && sameShape(o.pixels, wanted))
      .map((o) => ({ ...o, apart: Math.abs(Math.log(area(o.pixels) / area(wanted))) }))
      .filter((o) => o.apart <= Math.log(2))
      .sort((a, b) => a.apart - b.apart)[0]
    if (own) return sizeLabel(own.offered)
    const chosen = sizeForTarget(provider, wanted)
    if (chosen) return sizeLabel(chosen.size)
  }
  const first = provider.sizes.find((offered) => !('auto' in offered))
  return first ? sizeLabel(first) : null
}

/** The part of the form that depends on the provider. */
export interface ProviderSettings {
  providerId: string | null
  sizes: string[]
  format: OutputFormat
  keyId: string | null
  background: Background
  quality?: Quality
  references: DraftReference[]
  mask: FileReference | null
}

export interface Carried {
  /** `quality` is there only when it had to change. */
  patch: Pick<ProviderSettings, 'providerId' | 'sizes' | 'format' | 'keyId' | 'background' | 'quality'>
  /** What had to change, as phrases for "Switched to X: …". Empty when everything was kept. */
  changes: string[]
}

const OPTION_NAMES: Readonly<Record<Quality | Background, string>> = {
  auto: 'Auto',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  transparent: 'Transparent',
  opaque: 'Opaque',
}

/**
 * Quality and background go back to Auto on a provider whose API has no such field (getimg): the
 * engine refuses anything else there, and a setting carried over from another provider must not
 * block Generate. Each reset comes back as a phrase.
 */
function withoutUnsupported(
  provider: ProviderSummary,
  settings: { quality?: Quality; background: Background },
): { quality?: Quality; background: Background; changes: string[] } {
  const unsupported = provider.unsupportedOptions ?? []
  const changes: string[] = []
  let { quality, background } = settings
  if (unsupported.includes('quality') && quality !== undefined && quality !== 'auto') {
    changes.push(`${provider.name} has no quality setting, so ${OPTION_NAMES[quality]} became Auto`)
    quality = 'auto'
  }
  if (unsupported.includes('background') && background !== 'auto') {
    changes.push(`${provider.name} has no background setting, so ${OPTION_NAMES[background]} became Auto`)
    background = 'auto'
  }
  return { quality, background, changes }
}

/** Whether this provider can honour the setting (getimg has no quality or background). */
export function takesOption(provider: ProviderSummary | undefined, option: 'quality' | 'background'): boolean {
  return !(provider?.unsupportedOptions ?? []).includes(option)
}

/**
 * The output settings a form keeps on `provider` once its sizes are chosen: the provider's start
 * size when none is left (added to `sizes`), the format, and quality and background where the
 * provider has them. `lostTransparency`: a transparent background became Auto because the format
 * is JPEG; a switch says so, a restored draft does it quietly.
 */
function settleOutput(
  provider: ProviderSummary,
  settings: { format: OutputFormat; quality?: Quality; background: Background },
  sizes: string[],
): { format: OutputFormat; background: Background; quality: { quality?: Quality }; lostTransparency: boolean; changes: string[] } {
  if (sizes.length === 0) {
    const start = defaultSize(provider)
    if (start !== null) sizes.push(start)
  }
  const format = formatFor(provider, settings.format)
  const changes = format !== settings.format ? [`${FORMAT_NAMES[settings.format]} became ${FORMAT_NAMES[format]}`] : []
  const options = withoutUnsupported(provider, settings)
  changes.push(...options.changes)
  const lostTransparency = options.background === 'transparent' && !FORMAT_TRAITS[format].alpha
  return {
    format,
    background: lostTransparency ? 'auto' : options.background,
    // Only when it had to change: the patch leaves the form's own quality alone otherwise.
    quality: options.quality !== settings.quality ? { quality: options.quality } : {},
    lostTransparency,
    changes,
  }
}

/**
 * Moves the form to another provider, keeping every setting it accepts: sizes it offers stay, a
 * size it does not offer becomes its nearest one, a format it does not make becomes its first,
 * and the key stays only when it belongs to that provider (or is its only key). Quality and
 * background become Auto where the provider has no such setting; compression and the count per
 * size are left alone.
 * References stay too: the ones it cannot take are marked where they are listed, with a Remove
 * button, and named here.
 */
export function carryOver(form: ProviderSettings, provider: ProviderSummary, keys: readonly KeyInfo[]): Carried {
  const changes: string[] = []
  const sizes: string[] = []
  for (const size of form.sizes) {
    if (sizeFits(provider, size)) {
      if (!sizes.includes(size)) sizes.push(size)
      continue
    }
    const near = nearestSize(provider, size)
    if (near !== null && !sizes.includes(near) && !form.sizes.includes(near)) {
      sizes.push(near)
      changes.push(`${size} is not offered, so ${near} was chosen`)
    } else {
      changes.push(`${size} is not offered and was dropped`)
    }
  }
  const output = settleOutput(provider, form, sizes)
  changes.push(...output.changes)
  if (output.lostTransparency) changes.push('JPEG has no transparency, so the background is Auto')
  const { format, background } = output

  const refused = form.references.filter((r) => referenceProblem(provider, r) !== null).length
  if (refused > 0) changes.push(`${plural(refused, 'reference image')} cannot go to ${provider.name} (marked below: remove ${refused === 1 ? 'it' : 'them'} or switch back)`)
  else {
    const over = tooManyReferences(provider, form.references.length)
    if (over) changes.push(`${provider.name} takes at most ${over.max} reference images`)
  }
  if (form.mask && !takesMask(provider)) changes.push(`${provider.name} takes no edit mask (remove it below or switch back)`)

  return { patch: { providerId: provider.id, sizes, format, keyId: keyFor(provider, keys, form.keyId), background, ...output.quality }, changes }
}

/** "Switched to ToAPIs: 1536x1024 is not offered, so 3:2@2K was chosen; JPEG became PNG." */
export function switchNote(provider: ProviderSummary, changes: readonly string[]): string | null {
  return changes.length === 0 ? null : `Switched to ${provider.name}: ${changes.join('; ')}.`
}

/** A remembered draft's provider part, checked against the providers and keys that exist now. */
export interface DraftSettings {
  providerId: string | null
  sizes: readonly string[]
  format: OutputFormat
  keyId: string | null
  background: Background
  quality?: Quality
}

/**
 * Checks a draft from an earlier session against what exists now: a provider that is gone gives
 * way to the default one, a key that is gone to none (or the provider's only key), sizes the
 * provider no longer offers are dropped (the default size when none is left), and a format it
 * no longer makes becomes its first. Each change comes back as a phrase to show.
 */
export function checkDraft(
  draft: DraftSettings,
  providers: readonly ProviderSummary[],
  keys: readonly KeyInfo[],
): { patch: Carried['patch']; changes: string[] } | null {
  const kept = providers.find((p) => p.id === draft.providerId)
  const provider = kept ?? defaultProvider(providers, keys)
  if (!provider) return null
  const changes: string[] = []
  if (!kept && draft.providerId !== null) changes.push(`${draft.providerId} is no longer set up, so ${provider.name} was chosen`)

  const sizes = [...new Set(draft.sizes)].filter((s) => sizeFits(provider, s))
  const dropped = draft.sizes.filter((s) => !sizes.includes(s))
  if (kept && dropped.length > 0) changes.push(`${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} no longer offered`)
  const output = settleOutput(provider, draft, sizes)
  changes.push(...output.changes)
  const { format, background } = output

  const keyId = keyFor(provider, keys, draft.keyId)
  if (kept && draft.keyId !== null && !keys.some((k) => k.id === draft.keyId)) changes.push('the key it used is no longer stored')

  return { patch: { providerId: provider.id, sizes, format, keyId, background, ...output.quality }, changes }
}
