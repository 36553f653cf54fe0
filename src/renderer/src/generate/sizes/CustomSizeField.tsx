import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { sizeLabel, type ProviderSummary } from '../../../../shared/api'
import { sideMultiple } from '../../../../shared/sizes/pixel-size-rules'
import { pixelText } from '../../../../shared/sizes/size-shapes'
import { checkCustomSize } from '../custom-size'
import { ShapeGlyph } from './ShapeGlyph'

/**
 * A size the provider does not list, checked while it is typed against the same rules the engine
 * applies; when it breaks one, the nearest size that passes is one click away.
 */
export function CustomSizeField(props: { provider: ProviderSummary; onAdd(label: string): void }): ReactNode {
  const [text, setText] = useState('')
  const [added, setAdded] = useState<string | null>(null)
  const problemId = useId()
  const check = text.trim() === '' ? null : checkCustomSize(props.provider, text)
  // The popover may be taller than a small window: a problem and its fix must not sit below its edge.
  const problem = check?.problem ?? null
  useEffect(() => {
    if (problem !== null) document.getElementById(problemId)?.scrollIntoView?.({ block: 'nearest' })
  }, [problem, problemId])
  const add = (label: string, shown: string): void => {
    props.onAdd(label)
    setAdded(`${shown} added.`)
    setText('')
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (check && check.problem === null && check.size) add(sizeLabel(check.size), pixelText(check.size))
  }
  const limits = props.provider.customSizes
  const step = limits ? sideMultiple(props.provider.modelId, limits, false) : 1
  return (
    <section className="custom-size-field">
      <h3>Custom size</h3>
      {limits ? (
        <p className="hint">
          {limits.min}–{limits.max} px a side
          {step > 1 ? `, multiples of ${step}` : ''}
          {limits.maxAspect ? `, up to ${limits.maxAspect}:1` : ''}
          {limits.maxPixels ? `, at most ${(limits.maxPixels / 1e6).toFixed(1)} MP` : ''}.
        </p>
      ) : null}
      <form className="custom-size-form" onSubmit={submit} noValidate>
        <span className="custom-size-preview">{check?.size ? <ShapeGlyph ratio={check.size.width / check.size.height} longSide={18} /> : null}</span>
        <input
          type="text"
          inputMode="numeric"
          aria-label="Custom size"
          placeholder="Width x height, e.g. 2000x2000"
          aria-invalid={check?.problem ? true : undefined}
          aria-describedby={check?.problem ? problemId : undefined}
          value={text}
          onChange={(event) => {
            setText(event.target.value)
            setAdded(null)
          }}
        />
        <button type="submit" className="button-quiet" disabled={!check || check.problem !== null}>
          Add size
        </button>
      </form>
      {check?.problem ? (
        <div id={problemId} className="custom-size-problem">
          <p className="field-error">{check.problem}</p>
          {check.nearest ? (
            <button type="button" className="button-quiet" onClick={() => add(sizeLabel(check.nearest!), pixelText(check.nearest!))}>
              Use {pixelText(check.nearest)}
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="size-announcement" role="status">
        {added}
      </p>
    </section>
  )
}
