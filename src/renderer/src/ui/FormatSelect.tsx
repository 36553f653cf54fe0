import type { ReactNode } from 'react'
import { OutputFormat, type ProviderSummary } from '../../../shared/api'
import { FORMAT_NAMES } from './format/output-format'
import { useGenerate } from '../app/stores-context'
import { SelectField } from './SelectField'

function isOutputFormat(text: string): text is OutputFormat {
  return OutputFormat.safeParse(text).success
}

export function FormatSelect({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const format = useGenerate((s) => s.format)
  const setFormat = useGenerate((s) => s.setFormat)
  const formats = provider?.formats ?? ['png']

  return (
    <SelectField
      id="format"
      label="Format"
      value={format}
      disabled={!provider}
      choices={formats.map((f) => ({ value: f, label: FORMAT_NAMES[f] }))}
      onChange={(value) => isOutputFormat(value) && setFormat(value)}
    />
  )
}
