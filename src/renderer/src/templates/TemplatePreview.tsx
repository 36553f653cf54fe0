import { Fragment, useId, type ReactNode } from 'react'
import type { RenderedTemplate } from '../../../shared/templates/template-text'

/** The final prompt, read-only: filled values are marked, and a gap shows as {{name}}. */
export function TemplatePreview({ rendered, label = 'Final prompt' }: { rendered: RenderedTemplate; label?: string }): ReactNode {
  const id = useId()
  return (
    <div className="template-preview-wrap">
      <span id={id} className="template-preview-label">
        {label}
      </span>
      <div className="template-preview" role="region" aria-labelledby={id} tabIndex={0}>
        {rendered.segments.map((segment, i) =>
          segment.kind === 'text' ? (
            <Fragment key={i}>{segment.text}</Fragment>
          ) : (
            <mark key={i} className={segment.kind === 'missing' ? 'template-gap' : 'template-value'} title={segment.name}>
              {segment.text}
            </mark>
          ),
        )}
      </div>
    </div>
  )
}
