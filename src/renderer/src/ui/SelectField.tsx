import type { ReactNode } from 'react'

/**
 * A labelled select: the one way a form offers "one of these". The label names it for screen
 * readers and end-to-end tests alike; `empty` adds a first option with the value "" (any, none,
 * choose…). Values are strings, as the DOM gives them; callers narrow them.
 */

export interface SelectChoice {
  value: string
  label: string
  disabled?: boolean
}

export interface SelectFieldProps {
  id: string
  label: string
  value: string
  choices: readonly SelectChoice[]
  onChange(value: string): void
  /** The label of a first option with the value "". */
  empty?: string
  disabled?: boolean
  /** An accessible name other than the visible label (e.g. "Filter by size"). */
  ariaLabel?: string
  describedBy?: string
  className?: string
  /** Shown under the select (a hint, a note). */
  children?: ReactNode
}

export function SelectField(props: SelectFieldProps): ReactNode {
  const { id, label, value, choices, onChange, empty, disabled, ariaLabel, describedBy, className, children } = props
  return (
    <div className={className ?? 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} aria-label={ariaLabel} aria-describedby={describedBy} onChange={(event) => onChange(event.target.value)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value} disabled={c.disabled}>
            {c.label}
          </option>
        ))}
      </select>
      {children}
    </div>
  )
}
