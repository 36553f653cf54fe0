import type { ReactNode } from 'react'
import { TemplateManager } from '../components/TemplateManager'
import { KeysSettings } from '../settings/KeysSettings'
import { ProviderSettings } from '../settings/ProviderSettings'

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
