import { useId, type ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import { useGenerate, useLayout, useProviders, useStores } from '../app/stores-context'
import { NewBatchButton } from '../batches/BatchDialog'
import { TemplatePicker } from '../templates/TemplatePicker'
import { CostPreview } from './CostPreview'
import { GenerateButton } from './GenerateButton'
import { generateBlocker } from './generate-readiness'
import { KeySelect } from './KeySelect'
import { OutputOptions } from './OutputOptions'
import { PromptField } from './PromptField'
import { ProviderSelect } from './ProviderSelect'
import { ReferenceImages } from './ReferenceImages'
import { SizeChoices } from './SizeChoices'
import './prompt-bar.css'

/**
 * The prompt bar, pinned at the left of the workspace: what is asked (template, prompt,
 * provider, key, sizes, references) scrolls if it must, while the cost and Generate stay pinned
 * at the bottom. Output options a designer sets once fold into "More options".
 */
export function GeneratePanel(): ReactNode {
  const stores = useStores()
  const providers = useProviders((s) => s.providers)
  const keys = useProviders((s) => s.keys)
  const providerId = useGenerate((s) => s.providerId)
  const prompt = useGenerate((s) => s.prompt)
  const sizes = useGenerate((s) => s.sizes)
  const keyId = useGenerate((s) => s.keyId)
  const submitting = useGenerate((s) => s.submitting)
  const references = useGenerate((s) => s.references)
  const mask = useGenerate((s) => s.mask)
  const importing = useGenerate((s) => s.importing)
  const provider = providers.find((p) => p.id === providerId)

  // The form picks its starting provider, size and key itself (generate-store reconcile).
  const blocker = generateBlocker({ prompt, sizes, keyId, submitting, references, mask, importing }, provider, keys)
  const generate = (): void => {
    if (blocker === null) void stores.generate.getState().generate()
  }

  return (
    <aside className="prompt-bar" aria-labelledby="generate-heading">
      <div className="prompt-bar-body">
        <div className="prompt-bar-header">
          <h2 id="generate-heading">New images</h2>
          <NewBatchButton />
        </div>
        <TemplatePicker />
        <PromptField onSubmitShortcut={generate} />
        <div className={provider?.needsKey ? 'prompt-bar-pair' : undefined}>
          <ProviderSelect provider={provider} />
          {provider?.needsKey ? <KeySelect provider={provider} /> : null}
        </div>
        <SizeChoices provider={provider} />
        <ReferenceImages provider={provider} />
        <MoreOptions provider={provider} />
      </div>
      <div className="prompt-bar-footer">
        <CostPreview />
        <GenerateButton blocker={blocker} onGenerate={generate} />
      </div>
    </aside>
  )
}

/** Output options behind a disclosure that says, while folded, which ones differ from the defaults. */
function MoreOptions({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const stores = useStores()
  const open = useLayout((s) => s.moreOptionsOpen)
  const format = useGenerate((s) => s.format)
  const quality = useGenerate((s) => s.quality)
  const background = useGenerate((s) => s.background)
  const n = useGenerate((s) => s.n)
  const inputFidelity = useGenerate((s) => s.inputFidelity)
  const moderation = useGenerate((s) => s.moderation)
  const panelId = useId()
  const changed = [
    format !== 'png' ? format.toUpperCase() : null,
    quality !== 'auto' ? `${quality[0]!.toUpperCase()}${quality.slice(1)} quality` : null,
    background !== 'auto' ? `${background[0]!.toUpperCase()}${background.slice(1)} background` : null,
    n > 1 ? `${n} per size` : null,
    inputFidelity === 'high' ? 'High input fidelity' : inputFidelity === 'low' ? 'Low input fidelity' : null,
    moderation === 'low' ? 'Low moderation' : null,
  ].filter((part): part is string => part !== null)

  return (
    <div className="more-options">
      <button
        type="button"
        className="more-options-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => stores.layout.getState().setMoreOptionsOpen(!open)}
      >
        <span className="more-options-caret" aria-hidden="true">
          ▸
        </span>
        More options
        {changed.length > 0 ? <span className="more-options-summary">{changed.join(' · ')}</span> : null}
      </button>
      <div id={panelId} hidden={!open} className="more-options-panel">
        <OutputOptions provider={provider} />
      </div>
    </div>
  )
}
