import type { ReactNode } from 'react'
import type { OutputFormat, ProviderSummary } from '../../../shared/api'
import { useGenerate } from '../app/stores-context'
import { SelectField } from './SelectField'

const FORMAT_NAMES: Readonly<Record<string, string>> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' }

function isOutputFormat(text: string): text is OutputFormat {
  return text === 'png' || text === 'jpeg' || text === 'webp'
}

export function FormatSelect({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const format = useGenerate((s) => s.format)
  const setFormat = useGenerate((s) => s.setFormat)
  const formats = (provider?.formats ?? ['png']).filter(isOutputFormat)

  return (
    <SelectField
      id="format"
      label="Format"
      value={format}
      disabled={!provider}
      choices={formats.map((f) => ({ value: f, label: FORMAT_NAMES[f] ?? f }))}
      onChange={(value) => isOutputFormat(value) && setFormat(value)}
    />
  )
}
