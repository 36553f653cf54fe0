import type { ReactNode } from 'react'
import { TemplateManager } from '../components/TemplateManager'

/** Keys and provider profiles: everything that decides where work goes and who pays for it. */
export function SettingsView(): ReactNode {
  return (
    <main className="view-page">
      <section className="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
      </section>
      <TemplateManager />
    </main>
  )
}
