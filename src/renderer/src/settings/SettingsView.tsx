import type { ReactNode } from 'react'
import { TemplateManager } from '../templates/TemplateManager'
import { KeysSettings } from './KeysSettings'
import { LibrarySettings } from './LibrarySettings'
import { UpdatesSettings } from './UpdatesSettings'
import { ProviderSettings } from './ProviderSettings'

/** Keys, provider profiles, prompt templates and the library: where work goes, who pays, what it says, where it is kept. */
export function SettingsView(): ReactNode {
  return (
    <main className="view-page">
      <KeysSettings />
      <ProviderSettings />
      <TemplateManager />
      <LibrarySettings />
      <UpdatesSettings />
    </main>
  )
}
