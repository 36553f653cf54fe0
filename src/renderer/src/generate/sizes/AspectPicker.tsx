import { useId, type ReactNode } from 'react'
import type { ShapeGroup } from './size-options'
import { ShapeGlyph } from './ShapeGlyph'

/**
 * The shapes the provider makes, as a radio group (arrow keys move between them, as radios do).
 * Choosing a shape shows its resolutions; a dot marks shapes that hold a chosen size.
 */
export function AspectPicker(props: {
  groups: readonly ShapeGroup[]
  current: string | null
  chosen: readonly string[]
  onChange(aspect: string): void
}): ReactNode {
  const name = useId()
  // Named for screen readers only: the shapes say what they are to the eye.
  return (
    <div className="aspect-picker" role="radiogroup" aria-label="Aspect">
      <div className="aspect-options">
        {props.groups.map((group) => {
          const holds = group.options.some((o) => props.chosen.includes(o.label))
          return (
            <label key={group.aspect} className="aspect-option" title={group.aspect}>
              <input
                type="radio"
                name={name}
                value={group.aspect}
                checked={props.current === group.aspect}
                onChange={() => props.onChange(group.aspect)}
                onClick={() => props.onChange(group.aspect)}
              />
              <span className="aspect-shape">
                <ShapeGlyph ratio={group.ratio} />
              </span>
              <span className="aspect-name">{group.aspect}</span>
              {holds ? <span className="aspect-chosen-dot" aria-hidden="true" /> : null}
            </label>
          )
        })}
      </div>
    </div>
  )
}
