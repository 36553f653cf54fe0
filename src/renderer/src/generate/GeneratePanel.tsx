import type { ReactNode } from 'react'
import { useGenerate, useProviders, useStores } from '../app/stores-context'
import { NewBatchButton } from '../batches/BatchDialog'
import { CostPreview } from './CostPreview'
import { GenerateButton } from './GenerateButton'
import { generateBlocker } from './generate-readiness'
import { KeySelect } from './KeySelect'
import { OutputOptions } from './OutputOptions'
import { PromptField } from './PromptField'
import { ProviderSelect } from './ProviderSelect'
import { ReferenceImages } from './ReferenceImages'
import { SizeChoices } from './SizeChoices'
import { TemplatePicker } from '../templates/TemplatePicker'

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
    <section className="panel generate-panel" aria-labelledby="generate-heading">
      <div className="panel-header"><h2 id="generate-heading">New images</h2><NewBatchButton /></div>
      <TemplatePicker />
      <PromptField onSubmitShortcut={generate} />
      <ProviderSelect provider={provider} />
      {provider?.needsKey ? <KeySelect provider={provider} /> : null}
      <SizeChoices provider={provider} />
      <OutputOptions provider={provider} />
      <ReferenceImages provider={provider} />
      <CostPreview />
      <GenerateButton blocker={blocker} onGenerate={generate} />
    </section>
  )
}
