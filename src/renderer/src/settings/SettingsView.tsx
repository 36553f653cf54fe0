import { useEffect, useRef, useState, type ReactNode } from 'react'
import { TemplateManager } from '../templates/TemplateManager'
import { KeysSettings } from './KeysSettings'
import { LibrarySettings } from './LibrarySettings'
import { UpdatesSettings } from './UpdatesSettings'
import { ProviderSettings } from './ProviderSettings'

/** The sections in the order they are used: who pays, where work goes, where it is kept, what it says. */
const SECTIONS = [
  { id: 'settings-keys', name: 'Keys', body: <KeysSettings /> },
  { id: 'settings-providers', name: 'Providers', body: <ProviderSettings /> },
  { id: 'settings-library', name: 'Library', body: <LibrarySettings /> },
  { id: 'settings-templates', name: 'Templates', body: <TemplateManager /> },
  { id: 'settings-updates', name: 'Updates', body: <UpdatesSettings /> },
] as const

/** How far below the scroller's top a section's top may be and still count as the one being read. */
const READING_LINE_PX = 96

/**
 * Settings as one scrolling page with an index beside it: the providers' list alone is several
 * screens, so the index jumps to a section and marks the one being read, as a long preferences page
 * in a design tool does.
 */
export function SettingsView(): ReactNode {
  const [current, setCurrent] = useState<string>(SECTIONS[0].id)
  const pageRef = useRef<HTMLElement>(null)

  useEffect(() => {
    const page = pageRef.current
    const scroller = page?.closest('.view-scroll')
    if (!page || !scroller) return
    // The section being read is the last one whose top has passed the reading line; at the very
    // bottom it is the last section, however short (it may never reach the line).
    const update = (): void => {
      const line = scroller.getBoundingClientRect().top + READING_LINE_PX
      const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2
      let reading: string = SECTIONS[0].id
      for (const section of SECTIONS) {
        const top = document.getElementById(section.id)?.getBoundingClientRect().top
        if (top !== undefined && top <= line) reading = section.id
      }
      setCurrent(atBottom ? SECTIONS[SECTIONS.length - 1]!.id : reading)
    }
    update()
    scroller.addEventListener('scroll', update, { passive: true })
    return () => scroller.removeEventListener('scroll', update)
  }, [])

  const jumpTo = (id: string): void => {
    const target = document.getElementById(id)
    if (!target) return
    target.scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' })
    // Keyboard users land in the section, not back at the index.
    target.focus({ preventScroll: true })
    setCurrent(id)
  }

  return (
    <div className="settings-layout">
      <nav className="settings-index" aria-label="Settings sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a
                href={`#${s.id}`}
                aria-current={current === s.id ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  jumpTo(s.id)
                }}
              >
                {s.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="view-page settings-page" ref={pageRef}>
        {SECTIONS.map((s) => (
          <div key={s.id} id={s.id} className="settings-anchor" tabIndex={-1}>
            {s.body}
          </div>
        ))}
      </main>
    </div>
  )
}
