import type { ReactNode } from 'react'
import { plural } from '../../../shared/format/plural'
import { useStores } from '../app/stores-context'
import { formatMoney } from '../ui/format/money'
import { MAX_COMPARED } from './compare/compare-store'
import type { CostTotal, GalleryItem, GroupSummary } from './gallery-items'
import { promptFirstLine } from './prompt-line'

function costText(cost: CostTotal): string {
  if (cost.amount === 0 && cost.unknown) return 'cost unknown'
  const amount = formatMoney(cost.amount, cost.currency)
  return `${cost.estimated || cost.unknown ? 'est.' : 'charged'} ${amount}${cost.unknown ? ' + unpriced' : ''}`
}

/**
 * A generation's header row: its prompt, how many images (and how many still coming), sizes and
 * cost, and "Compare all" once two of its images are in.
 */
export function GroupHeader({ summary, items }: { summary: GroupSummary; items: readonly GalleryItem[] }): ReactNode {
  const stores = useStores()
  const imageIds = items.flatMap((item) => (item.kind === 'image' ? [item.image.id] : []))
  const counts = [summary.images > 0 ? plural(summary.images, 'image') : null, summary.pending > 0 ? `${summary.pending} on the way` : null]
    .filter(Boolean)
    .join(', ')
  return (
    <div className="group-header">
      {summary.rerun ? (
        <span className="group-rerun" title="The same settings, run again with Rerun">
          {summary.rerun === 'below' ? '↻ Rerun of the generation below' : '↻ Rerun of an earlier generation'}
        </span>
      ) : null}
      <p className="group-prompt" title={summary.prompt}>
        {promptFirstLine(summary.prompt)}
      </p>
      <p className="group-meta">
        {counts ? <span>{counts}</span> : null}
        <span>{summary.sizes.join(', ')}</span>
        <span className="group-cost">{summary.costs.map(costText).join(' + ') || 'cost unknown'}</span>
      </p>
      {imageIds.length >= 2 ? (
        <button
          type="button"
          className="group-compare"
          title={
            imageIds.length > MAX_COMPARED
              ? `Compare this generation's ${imageIds.length} images, ${MAX_COMPARED} at a time`
              : `Compare this generation's ${imageIds.length} images side by side`
          }
          onClick={() => stores.compare.getState().openCompare(imageIds)}
        >
          Compare all
        </button>
      ) : null}
    </div>
  )
}
