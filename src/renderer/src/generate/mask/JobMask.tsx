import { useEffect, useState, type ReactNode } from 'react'
import type { ReusableSettings } from '../../../../shared/api'
import { useStores } from '../../app/stores-context'
import type { FileReference } from '../references/reference-rules'
import { MaskOverlay } from './MaskOverlay'

/** The stored paths of a job's first reference and its mask, when it had both as local files. */
export function jobMaskPaths(settings: ReusableSettings): { reference: string; mask: string } | null {
  const first = settings.refs?.[0]
  const mask = settings.mask
  if (!first || !mask || first.kind === 'link' || mask.kind === 'link') return null
  return { reference: first.path, mask: mask.path }
}

/**
 * In the detail view: the image the job edited, with the area its mask let the provider repaint
 * tinted over it, so what changed can be read against the result beside it.
 */
export function JobMask({ settings }: { settings: ReusableSettings }): ReactNode {
  const stores = useStores()
  const paths = jobMaskPaths(settings)
  const [shown, setShown] = useState<{ reference: FileReference; mask: FileReference } | 'missing' | null>(null)
  const reference = paths?.reference
  const mask = paths?.mask
  useEffect(() => {
    setShown(null)
    if (!reference || !mask) return
    let live = true
    stores.generate
      .getState()
      .describeJobMask(reference, mask)
      .then((found) => live && setShown(found ?? 'missing'))
      .catch(() => live && setShown('missing'))
    return () => {
      live = false
    }
  }, [reference, mask, stores])
  if (!paths) return null
  return (
    <section className="job-mask" aria-labelledby="job-mask-title">
      <h3 id="job-mask-title">Edited area</h3>
      {shown === 'missing' ? (
        <p className="hint">The reference or its mask is no longer in the library's refs folder.</p>
      ) : shown ? (
        <figure className="job-mask-figure">
          <span className="job-mask-frame" style={{ aspectRatio: `${shown.reference.width} / ${shown.reference.height}` }}>
            <img src={shown.reference.preview} alt="The reference image this was edited from" />
            <MaskOverlay src={shown.mask.preview} />
          </span>
          <figcaption className="hint">
            Striped: the area the mask let the provider repaint · reference {shown.reference.width}×{shown.reference.height}
          </figcaption>
        </figure>
      ) : (
        <p className="hint">Loading the reference and its mask…</p>
      )}
    </section>
  )
}
