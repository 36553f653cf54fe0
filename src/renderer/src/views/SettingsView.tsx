import type { ReactNode } from 'react'
import { KeysSettings } from '../settings/KeysSettings'
import { ProviderSettings } from '../settings/ProviderSettings'

/** Keys and provider profiles: everything that decides where work goes and who pays for it. */
export function SettingsView(): ReactNode {
  return (
    <main className="view-page">
      <KeysSettings />
      <ProviderSettings />
    </main>
  )
}
