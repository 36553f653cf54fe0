import { sizeLabel, type ImageView, type JobCost } from '../../../shared/api'
import type { Placeholder } from './placeholders'

/**
 * What the grid shows, in order: placeholders first, then images newest first; flat, or grouped
 * by generation (one prompt at several sizes or counts) with a header per group. Groups keep the
 * order of their newest member, and a generation still on its way comes first, its landed images
 * beside its placeholders. Pure, so the rules are tested alone.
 */

export type GalleryItem = { kind: 'image'; key: string; image: ImageView } | { kind: 'placeholder'; key: string; placeholder: Placeholder }

/** One currency's total: charged where the jobs were charged, else estimated. */
export interface CostTotal {
  currency: string
  amount: number
  /** Some of it is an estimate (a job not charged yet). */
  estimated: boolean
  /** Some job had neither a price nor a charge: the amount leaves it out. */
  unknown: boolean
}

export interface GroupSummary {
  prompt: string
  images: number
  /** Images still on their way (placeholders of running or queued jobs). */
  pending: number
  /** Pixel sizes of the images, then the sizes asked for by jobs still running, each once. */
  sizes: string[]
  costs: CostTotal[]
  /**
   * A rerun of an earlier generation (jobs.rerun): 'below' when that one is shown and the rerun
   * sits right above it, 'earlier' when it is not loaded or filtered out; null for a new prompt.
   */
  rerun?: 'below' | 'earlier' | null
}

export interface GallerySection {
  key: string
  /** Null in the flat view: one section, no header. */
  summary: GroupSummary | null
  items: GalleryItem[]
}

const imageItem = (image: ImageView): GalleryItem => ({ kind: 'image', key: image.id, image })
const placeholderItem = (placeholder: Placeholder): GalleryItem => ({ kind: 'placeholder', key: placeholder.key, placeholder })

/** Totals by currency over distinct jobs: each job's cost covers all of its images. */
export function costTotals(jobs: ReadonlyMap<string, JobCost>): CostTotal[] {
  const totals = new Map<string, CostTotal>()
  for (const cost of jobs.values()) {
    let total = totals.get(cost.currency)
    if (!total) totals.set(cost.currency, (total = { currency: cost.currency, amount: 0, estimated: false, unknown: false }))
    if (cost.charged !== null) total.amount += cost.charged
    else if (cost.estimated !== null) {
      total.amount += cost.estimated
      total.estimated = true
    } else total.unknown = true
  }
  return [...totals.values()]
}

export function summarize(items: readonly GalleryItem[]): GroupSummary {
  const jobs = new Map<string, JobCost>()
  const sizes = new Set<string>()
  let images = 0
  let pending = 0
  let prompt = ''
  for (const item of items) {
    if (item.kind === 'image') {
      const { image } = item
      images += 1
      prompt ||= image.prompt
      sizes.add(sizeLabel({ width: image.width, height: image.height }))
      if (!jobs.has(image.jobId)) jobs.set(image.jobId, image.jobCost)
    } else {
      const { job, state } = item.placeholder
      if (state !== 'failed') pending += 1
      prompt ||= job.prompt
      jobs.set(job.id, { estimated: job.estimatedCost, charged: job.chargedCost, currency: job.currency })
    }
  }
  // Sizes still to come are named as the job asked for them (e.g. 16:9@2K), after those landed.
  for (const item of items) if (item.kind === 'placeholder' && item.placeholder.state !== 'failed') sizes.add(item.placeholder.job.size)
  return { prompt, images, pending, sizes: [...sizes], costs: costTotals(jobs) }
}

export function arrangeGallery(images: readonly ImageView[], placeholders: readonly Placeholder[], grouped: boolean): GallerySection[] {
  if (!grouped) {
    const items = [...placeholders.map(placeholderItem), ...images.map(imageItem)]
    return items.length > 0 ? [{ key: 'all', summary: null, items }] : []
  }
  const groups = new Map<string, GalleryItem[]>()
  const add = (groupId: string, item: GalleryItem): void => {
    const group = groups.get(groupId)
    if (group) group.push(item)
    else groups.set(groupId, [item])
  }
  for (const p of placeholders) add(p.groupId, placeholderItem(p))
  for (const image of images) add(image.groupId, imageItem(image))
  return placeReruns(groups)
}

/** The generation an item's job reran, if any. */
function rerunSource(item: GalleryItem): string | null {
  const origin = item.kind === 'image' ? item.image.rerunOf : item.placeholder.job.rerunOf
  return origin?.groupId ?? null
}

/**
 * Groups newest first, except that a rerun sits right above the generation it repeats when that
 * one is shown (reruns of a rerun above it in turn), so the designer sees the new try beside the
 * old instead of at the top of a long gallery.
 */
function placeReruns(groups: Map<string, GalleryItem[]>): GallerySection[] {
  const sourceOf = new Map<string, string>()
  for (const [key, items] of groups) {
    const source = items.map(rerunSource).find((s) => s !== null)
    if (source && source !== key) sourceOf.set(key, source)
  }
  const reruns = new Map<string, string[]>()
  for (const [key, source] of sourceOf) if (groups.has(source)) reruns.set(source, [...(reruns.get(source) ?? []), key])
  const out: GallerySection[] = []
  const placed = new Set<string>()
  const emit = (key: string): void => {
    if (placed.has(key)) return
    placed.add(key)
    for (const rerun of reruns.get(key) ?? []) emit(rerun)
    const items = groups.get(key)!
    const rerun = sourceOf.has(key) ? (groups.has(sourceOf.get(key)!) ? 'below' : 'earlier') : null
    out.push({ key, summary: rerun ? { ...summarize(items), rerun } : summarize(items), items })
  }
  for (const key of groups.keys()) if (!sourceOf.has(key) || !groups.has(sourceOf.get(key)!)) emit(key)
  // A rerun whose chain leads nowhere shown (not possible from the engine, but cheap to keep whole).
  for (const key of groups.keys()) emit(key)
  return out
}

/** The items in display order, as the grid indexes them. */
export function flatItems(sections: readonly GallerySection[]): GalleryItem[] {
  return sections.flatMap((s) => s.items)
}
