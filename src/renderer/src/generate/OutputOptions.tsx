import type { ReactNode } from 'react'
import { Background, FORMAT_TRAITS, MAX_IMAGES_PER_SIZE, Quality, QUALITIES, type ProviderSummary } from '../../../shared/api'
import { FORMAT_NAMES } from '../ui/format/output-format'
import { takesOption } from './form-rules'
import { useGenerate, useStores } from '../app/stores-context'
import { FormatSelect } from '../ui/FormatSelect'
import './generate.css'
import { SelectField } from '../ui/SelectField'

const QUALITY_NAMES: Readonly<Record<Quality, string>> = { auto: 'Auto', low: 'Low (drafts)', medium: 'Medium', high: 'High (finals)' }
const QUALITY_CHOICES = QUALITIES.map((value) => ({ value, label: QUALITY_NAMES[value] }))

const PARTIAL_PREVIEWS = [
  { value: '0', label: 'Off' },
  { value: '1', label: '1 preview' },
  { value: '2', label: '2 previews' },
  { value: '3', label: '3 previews' },
] as const

const isQuality = (v: string): v is Quality => Quality.safeParse(v).success
const isBackground = (v: string): v is Background => Background.safeParse(v).success

/** Everything about the output besides its size: format, quality, compression, background, count. */
export function OutputOptions({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const format = useGenerate((s) => s.format)
  const quality = useGenerate((s) => s.quality)
  const background = useGenerate((s) => s.background)
  const compression = useGenerate((s) => s.compression)
  const n = useGenerate((s) => s.n)
  const partialImages = useGenerate((s) => (s.partialImages?.provider === s.providerId ? s.partialImages.count : 0))
  const inputFidelity = useGenerate((s) => s.inputFidelity)
  const moderation = useGenerate((s) => s.moderation)
  const hasReferences = useGenerate((s) => s.references.length > 0)
  const formatNote = useGenerate((s) => s.formatNote)
  // Actions never change, so they are read once instead of subscribing to the whole form.
  const set = useStores().generate.getState()
  const lossy = FORMAT_TRAITS[format].lossy
  const alpha = FORMAT_TRAITS[format].alpha
  // A provider without the field (getimg) makes its own choice: the control says so instead of offering one.
  const takesQuality = takesOption(provider, 'quality')
  const takesBackground = takesOption(provider, 'background')

  return (
    <div className="output-options">
      <FormatSelect provider={provider} />
      <SelectField id="quality" label="Quality" value={quality} choices={QUALITY_CHOICES} disabled={!provider || !takesQuality} describedBy={takesQuality ? undefined : 'quality-hint'} onChange={(v) => isQuality(v) && set.setQuality(v)}>
        {provider && !takesQuality ? <p className="hint" id="quality-hint">{provider.name} has no quality setting</p> : null}
      </SelectField>
      <SelectField
        id="background"
        label="Background"
        value={background}
        disabled={!provider || !takesBackground}
        describedBy={takesBackground ? undefined : 'background-hint'}
        choices={[
          { value: 'auto', label: 'Auto' },
          { value: 'opaque', label: 'Opaque' },
          { value: 'transparent', label: `Transparent${alpha ? '' : ' (PNG or WebP only)'}`, disabled: !alpha },
        ]}
        onChange={(v) => isBackground(v) && set.setBackground(v)}
      >
        {provider && !takesBackground ? <p className="hint" id="background-hint">{provider.name} has no background setting</p> : null}
      </SelectField>
      {formatNote ? (
        <div role="status" aria-label="Format change" className="form-note output-note">
          <p>{formatNote.text}</p>
          <span className="form-note-actions">
            <button type="button" className="button-link" onClick={() => set.undoFormat()}>
              Keep transparency ({FORMAT_NAMES[formatNote.previous.format]})
            </button>
          </span>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="images-per-size">Images per size</label>
        <input
          id="images-per-size"
          type="number"
          min={1}
          max={MAX_IMAGES_PER_SIZE}
          value={n}
          disabled={!provider}
          onChange={(e) => {
            const value = Number(e.target.value)
            if (Number.isFinite(value) && e.target.value !== '') set.setImagesPerSize(value)
          }}
        />
      </div>
      {provider?.streaming ? (
        // Rough images shown on the job's tile while the provider draws; only the final one is kept.
        <SelectField
          id="partial-previews"
          label="Partial previews"
          value={String(partialImages)}
          choices={PARTIAL_PREVIEWS}
          onChange={(v) => set.setPartialImages(Number(v))}
        />
      ) : null}
      {provider?.options?.inputFidelity && hasReferences ? (
        // Only edits keep or free their reference images, so the choice appears with the first one.
        <SelectField
          id="input-fidelity"
          label="Input fidelity"
          value={inputFidelity ?? 'default'}
          choices={[
            { value: 'default', label: 'Provider default (low)' },
            { value: 'low', label: 'Low (freer changes)' },
            { value: 'high', label: 'High (keep faces, logos, layout)' },
          ]}
          onChange={(v) => set.setInputFidelity(v === 'low' || v === 'high' ? v : null)}
        />
      ) : null}
      {provider?.options?.moderation ? (
        <SelectField
          id="moderation"
          label="Moderation"
          value={moderation ?? 'auto'}
          choices={[
            { value: 'auto', label: 'Auto (provider default)' },
            { value: 'low', label: 'Low (less restrictive)' },
          ]}
          onChange={(v) => set.setModeration(v === 'low' ? 'low' : null)}
        />
      ) : null}
      {lossy ? (
        <div className="field output-compression">
          <label htmlFor="compression">Compression {compression === null ? '(provider default)' : `${compression}%`}</label>
          <input
            id="compression"
            type="range"
            min={0}
            max={100}
            step={5}
            value={compression ?? 80}
            aria-valuetext={compression === null ? 'provider default' : `${compression} percent`}
            onChange={(e) => set.setCompression(Number(e.target.value))}
          />
          {compression !== null ? (
            <button type="button" className="button-link" onClick={() => set.setCompression(null)}>
              Use the provider default
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
