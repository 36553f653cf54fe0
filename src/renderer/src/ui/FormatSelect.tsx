import type { ReactNode } from 'react'
import type { OutputFormat, ProviderSummary } from '../../../shared/api'
import { useGenerate } from '../app/stores-context'

const FORMAT_NAMES: Readonly<Record<string, string>> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' }

function isOutputFormat(text: string): text is OutputFormat {
  return text === 'png' || text === 'jpeg' || text === 'webp'
}

export function FormatSelect({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const format = useGenerate((s) => s.format)
  const setFormat = useGenerate((s) => s.setFormat)
  const formats = (provider?.formats ?? ['png']).filter(isOutputFormat)

  return (
    <div className="field">
      <label htmlFor="format">Format</label>
      <select
        id="format"
        value={format}
        disabled={!provider}
        onChange={(event) => {
          if (isOutputFormat(event.target.value)) setFormat(event.target.value)
        }}
      >
        {formats.map((f) => (
          <option key={f} value={f}>
            {FORMAT_NAMES[f] ?? f}
          </option>
        ))}
      </select>
    </div>
  )
}
