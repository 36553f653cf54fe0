import type { ReactNode } from 'react'
import { parseSizeText, sizeRatio, type ProviderSummary } from '../../../shared/api'
import { customSizeProblem, normalizeSizeText } from './custom-size'
import { offeredLabels } from './form-rules'
import { useGenerate } from '../app/stores-context'
import { InlineAddForm } from '../ui/InlineAddForm'

/** A small rectangle with the size's proportions, so "1536x1024" reads as landscape at a glance. */
function AspectGlyph({ size }: { size: string }): ReactNode {
  const spec = parseSizeText(size)
  const ratio = (spec && sizeRatio(spec)) ?? 1
  const width = ratio >= 1 ? 16 : Math.round(16 * ratio)
  const height = ratio >= 1 ? Math.round(16 / ratio) : 16
  return <span className="aspect-glyph" aria-hidden="true" style={{ width, height }} />
}

/**
 * One checkbox per size the provider supports; the engine makes one job per checked size.
 * Profiles that take other pixel sizes get a field for them, and typed sizes join the list.
 */
export function SizeChoices({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const selected = useGenerate((s) => s.sizes)
  const toggleSize = useGenerate((s) => s.toggleSize)
  const offered = provider ? offeredLabels(provider) : []
  const extra = provider ? selected.filter((s) => !offered.includes(s)) : []

  return (
    <fieldset className="field size-choices">
      <legend>Sizes</legend>
      {provider ? (
        <div className="size-grid">
          {[...offered, ...extra].map((size) => (
            <label key={size} className="size-choice">
              <input
                type="checkbox"
                checked={selected.includes(size)}
                disabled={parseSizeText(size) === undefined}
                onChange={(event) => toggleSize(size, event.target.checked)}
              />
              <AspectGlyph size={size} />
              <span>{size}</span>
            </label>
          ))}
        </div>
      ) : (
        <p className="hint">Choose a provider to see its sizes.</p>
      )}
      {provider?.customSizes ? <CustomSize provider={provider} /> : null}
    </fieldset>
  )
}

function CustomSize({ provider }: { provider: ProviderSummary }): ReactNode {
  const toggleSize = useGenerate((s) => s.toggleSize)
  const add = (text: string): string | null => {
    const size = normalizeSizeText(text)
    const problem = customSizeProblem(provider, size)
    if (problem === null) toggleSize(size, true)
    return problem
  }
  return (
    <InlineAddForm
      className="custom-size"
      inputMode="numeric"
      label="Custom size"
      placeholder="Other size, e.g. 2000x2000"
      buttonText="Add size"
      onAdd={add}
    />
  )
}
