import type { MouseEvent, PointerEvent, ReactNode, Ref } from 'react'
import type { ImageView } from '../../../../shared/api'
import { ErrorNote } from '../../ui/ErrorNote'
import type { Fact, FactKey, PromptPart } from './compare-facts'
import type { DetailLoad } from './compare-store'

export interface ComparePaneProps {
  index: number
  count: number
  image: ImageView | null
  src: string | null
  detail: DetailLoad | undefined
  facts: Fact[] | null
  prompt: PromptPart[] | null
  differing: ReadonlySet<FactKey>
  promptDiffers: boolean
  transform: string
  /** Above 150% the pixels show as pixels: a designer checks edges there, not a blur of them. */
  crisp: boolean
  focused: boolean
  showInfo: boolean
  paneRef: Ref<HTMLDivElement>
  stageRef?: Ref<HTMLDivElement>
  onFocus(): void
  onKeep(): void
  onDiscard(): void
  onPointerDown(event: PointerEvent<HTMLDivElement>): void
  onDoubleClick(event: MouseEvent<HTMLDivElement>): void
}

/** The prompt with the words other prompts lack marked, so a changed word jumps out. */
function PromptText({ parts }: { parts: PromptPart[] }): ReactNode {
  return (
    <p className="compare-prompt">
      {parts.map((part, i) =>
        part.differs ? (
          <mark key={i} className="compare-word-differs">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </p>
  )
}

function FactList({ facts, differing }: { facts: Fact[]; differing: ReadonlySet<FactKey> }): ReactNode {
  return (
    <dl className="compare-facts">
      {facts.map((fact) => {
        const differs = differing.has(fact.key)
        return (
          <div key={fact.key} className={differs ? 'compare-fact is-different' : 'compare-fact'}>
            <dt>{fact.label}</dt>
            <dd>
              {fact.value}
              {differs ? <span className="visually-hidden"> (differs)</span> : null}
            </dd>
          </div>
        )
      })}
    </dl>
  )
}

/**
 * One image of the comparison: the picture in its dark well, under the shared transform, then
 * Keep, Discard and what made it, with what differs from the others marked. The pane is the
 * focus stop that ← and → move between.
 */
export function ComparePane(props: ComparePaneProps): ReactNode {
  const { image, detail, facts, differing } = props
  const name = `Image ${props.index + 1} of ${props.count}`
  const differs = [...(props.promptDiffers ? ['prompt'] : []), ...(facts ?? []).filter((f) => differing.has(f.key)).map((f) => f.label.toLowerCase())]
  return (
    <div
      ref={props.paneRef}
      role="group"
      aria-label={name}
      className={`compare-pane${props.focused ? ' is-focused' : ''}`}
      tabIndex={props.focused ? 0 : -1}
      onFocus={props.onFocus}
      {...(props.index === 0 ? { 'data-autofocus': true } : {})}
    >
      <div ref={props.stageRef} className="compare-stage" onPointerDown={props.onPointerDown} onDoubleClick={props.onDoubleClick}>
        {image && props.src ? (
          <img
            className={`compare-image${props.crisp ? ' is-crisp' : ''}`}
            src={props.src}
            alt={image.prompt}
            draggable={false}
            width={image.width}
            height={image.height}
            style={{
              width: image.width,
              height: image.height,
              left: `calc(50% - ${image.width / 2}px)`,
              top: `calc(50% - ${image.height / 2}px)`,
              transform: props.transform,
            }}
          />
        ) : detail?.status === 'error' ? null : (
          <p className="compare-stage-note">Loading the image…</p>
        )}
        <span className="compare-badge" aria-hidden="true">
          {props.index + 1}
        </span>
      </div>
      {props.showInfo ? (
        <div className="compare-info">
          <div className="compare-pane-actions">
            <button
              type="button"
              className="compare-keep"
              aria-pressed={image?.favorite ?? false}
              disabled={!image}
              title={image?.favorite ? 'Kept (starred); press to unstar (F)' : 'Keep: star this image (F)'}
              onClick={props.onKeep}
            >
              <span aria-hidden="true">{image?.favorite ? '★' : '☆'}</span> Keep
            </button>
            <button type="button" className="button-quiet button-danger" disabled={!image} title="Move this image to the trash (Delete)" onClick={props.onDiscard}>
              Discard…
            </button>
            {image ? (
              <span className="compare-size" aria-hidden="true">
                {image.width} × {image.height}
              </span>
            ) : null}
          </div>
          {detail?.status === 'error' ? <ErrorNote error={detail.error} /> : null}
          {props.prompt ? <PromptText parts={props.prompt} /> : null}
          {facts ? <FactList facts={facts} differing={differing} /> : detail?.status === 'loading' ? <p className="hint">Loading its settings…</p> : null}
          <p className="visually-hidden">{differs.length > 0 ? `Differs from the others in: ${differs.join(', ')}.` : 'Same settings as the others.'}</p>
        </div>
      ) : null}
    </div>
  )
}
