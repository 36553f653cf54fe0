import { useEffect, type ReactNode } from 'react'
import type { Theme } from '../../../shared/api'
import { useLayout, useStores } from './stores-context'

/**
 * Light, dark or the system's choice. The page's root carries `data-theme`; the stylesheet swaps
 * colours by it. The choice is also kept in localStorage only so the next load paints in the
 * right colours before the library's memory arrives (main.tsx reads it); the library wins.
 */

export const THEME_HINT_KEY = 'proofsheet.theme'

const THEMES: readonly { value: Theme; label: string; glyph: string }[] = [
  { value: 'light', label: 'Light', glyph: '☀' },
  { value: 'dark', label: 'Dark', glyph: '☾' },
  { value: 'system', label: 'System', glyph: '◐' },
]

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme
}

export function useAppliedTheme(): void {
  const theme = useLayout((s) => s.theme)
  const hydrated = useLayout((s) => s.hydrated)
  useEffect(() => {
    if (!hydrated) return
    applyTheme(theme)
    try {
      window.localStorage.setItem(THEME_HINT_KEY, theme)
    } catch {
      // Storage refused (private mode): the theme still applies to this page.
    }
  }, [theme, hydrated])
}

/** A three-way segmented control; arrow keys move between the choices, as in any radio group. */
export function ThemeControl(): ReactNode {
  const stores = useStores()
  const theme = useLayout((s) => s.theme)
  const choose = (value: Theme): void => stores.layout.getState().setTheme(value)
  const onKey = (event: React.KeyboardEvent, at: number): void => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const next = THEMES[(at + step + THEMES.length) % THEMES.length]!
    choose(next.value)
    const group = (event.currentTarget as HTMLElement).parentElement
    group?.querySelector<HTMLElement>(`[data-theme-choice="${next.value}"]`)?.focus()
  }
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {THEMES.map((t, i) => (
        <button
          key={t.value}
          type="button"
          role="radio"
          aria-checked={theme === t.value}
          aria-label={t.label}
          title={`${t.label} theme`}
          tabIndex={theme === t.value ? 0 : -1}
          data-theme-choice={t.value}
          className="theme-choice"
          onClick={() => choose(t.value)}
          onKeyDown={(event) => onKey(event, i)}
        >
          <span aria-hidden="true">{t.glyph}</span>
        </button>
      ))}
    </div>
  )
}
