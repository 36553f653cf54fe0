import { useState, type ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import { useGenerate } from '../app/stores-context'
import { AspectPicker } from './sizes/AspectPicker'
import { ChosenSizes } from './sizes/ChosenSizes'
import { MoreSizes } from './sizes/MoreSizes'
import { ResolutionPicker } from './sizes/ResolutionPicker'
import { shapeGroups } from './sizes/size-options'
import './sizes/sizes.css'

/**
 * Sizes as a designer picks them: a shape, then one or more resolutions of it, each with its
 * pixels and price; the chosen ones as chips. Channel presets and custom sizes open beside the
 * bar. The engine makes one job per chosen size.
 */
export function SizeChoices({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const selected = useGenerate((s) => s.sizes)
  const toggleSize = useGenerate((s) => s.toggleSize)
  const groups = provider ? shapeGroups(provider, selected) : []
  // The shape being looked at: the user's pick while the provider has it, else that of the first
  // chosen size, else the first shape.
  const [looking, setLooking] = useState<string | null>(null)
  const holding = groups.find((g) => g.options.some((o) => selected.includes(o.label)))
  const current = groups.find((g) => g.aspect === looking) ?? holding ?? groups[0]

  return (
    <fieldset className="field size-choices">
      <legend>Sizes</legend>
      {provider ? <MoreSizes provider={provider} chosen={selected} onToggle={toggleSize} /> : null}
      {provider ? (
        <>
          <AspectPicker groups={groups} current={current?.aspect ?? null} chosen={selected} onChange={setLooking} />
          <ResolutionPicker
            group={current}
            chosen={selected}
            currency={provider.currency}
            onToggle={(label, on) => {
              // The shape stays in view when its last chosen size is unticked.
              setLooking(current?.aspect ?? null)
              toggleSize(label, on)
            }}
          />
          <ChosenSizes provider={provider} chosen={selected} onRemove={(label) => toggleSize(label, false)} />
        </>
      ) : (
        <p className="hint">Choose a provider to see its sizes.</p>
      )}
    </fieldset>
  )
}
