import type { ReactNode } from 'react'
import { TemplateManager } from '../templates/TemplateManager'
import { KeysSettings } from './KeysSettings'
import { ProviderSettings } from './ProviderSettings'

/** Keys, provider profiles and prompt templates: where work goes, who pays, and what it says. */
export function SettingsView(): ReactNode {
  return (
    <main className="view-page">
      <KeysSettings />
      <ProviderSettings />
      <TemplateManager />
    </main>
  )
}
