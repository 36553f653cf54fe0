import type { ReactNode } from 'react'

/** Keys and provider profiles: everything that decides where work goes and who pays for it. */
export function SettingsView(): ReactNode {
  return (
    <main className="view-page">
      <section className="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
      </section>
    </main>
  )
}
