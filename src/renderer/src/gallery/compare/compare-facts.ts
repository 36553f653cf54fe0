import type { ImageDetail } from '../../../../shared/api'

/**
 * What the compare view lists beside each image, as text, and which of it differs between the
 * images compared: the rows whose values are not all the same, and in the prompts the words not
 * every prompt has. Pure, so the rules are tested alone.
 */

export type FactKey = 'provider' | 'size' | 'quality' | 'format' | 'background' | 'n' | 'key' | 'cost'

export interface Fact {
  key: FactKey
  label: string
  value: string
}

export interface FactWords {
  /** The provider's display name for its id. */
  providerName(id: string): string
  money(amount: number, currency: string): string
}

/** The settings rows of one image, in the order every pane shows them. */
export function factsOf(detail: ImageDetail, words: FactWords): Fact[] {
  const { image, job, settings } = detail
  const cost =
    job.chargedCost !== null
      ? words.money(job.chargedCost, job.currency)
      : job.estimatedCost !== null
        ? `est. ${words.money(job.estimatedCost, job.currency)}`
        : 'no price set'
  return [
    { key: 'provider', label: 'Provider', value: words.providerName(settings.provider) },
    { key: 'size', label: 'Size', value: `${image.width} × ${image.height}` },
    { key: 'quality', label: 'Quality', value: settings.quality },
    { key: 'format', label: 'Format', value: image.format.toUpperCase() },
    { key: 'background', label: 'Background', value: settings.background ?? 'provider default' },
    { key: 'n', label: 'Images per request', value: String(settings.n) },
    { key: 'key', label: 'Key', value: image.keyLabel ?? 'none' },
    // The job's cost covers all of its images: say so, or two images of one job look charged twice.
    { key: 'cost', label: settings.n > 1 ? `Cost (job of ${settings.n})` : 'Cost', value: cost },
  ]
}

/** The rows whose value is not the same for every image (none with fewer than two images). */
export function differingFacts(facts: readonly (readonly Fact[])[]): Set<FactKey> {
  const out = new Set<FactKey>()
  if (facts.length < 2) return out
  for (const row of facts[0]!) {
    if (facts.some((list) => list.find((f) => f.key === row.key)?.value !== row.value)) out.add(row.key)
  }
  return out
}

export interface PromptPart {
  text: string
  /** A word some other compared prompt lacks (whitespace and shared words: false). */
  differs: boolean
}

/** Words compare without case and without the punctuation around them ("white," = "White"). */
const normal = (word: string): string => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')

/**
 * Each prompt split into words and spaces, a word marked when some other prompt does not have
 * it: "on oak" beside "on marble" marks oak and marble. Order is ignored on purpose: a designer
 * reads "what was added or swapped", and a moved word is not a change to the picture.
 */
export function promptDifferences(prompts: readonly string[]): PromptPart[][] {
  const sets = prompts.map((p) => new Set(p.split(/\s+/).map(normal).filter(Boolean)))
  return prompts.map((prompt, i) =>
    prompt
      .split(/(\s+)/)
      .filter((t) => t.length > 0)
      .map((text) => {
        const word = normal(text)
        const differs = word !== '' && prompts.length > 1 && sets.some((set, j) => j !== i && !set.has(word))
        return { text, differs }
      }),
  )
}
