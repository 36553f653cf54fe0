import type { ReactNode } from 'react'
import { formatMoney } from '../ui/format/money'
import type { CostTotal, GroupSummary } from './gallery-items'

function costText(cost: CostTotal): string {
  if (cost.amount === 0 && cost.unknown) return 'cost unknown'
  const amount = formatMoney(cost.amount, cost.currency)
  return `${cost.estimated || cost.unknown ? 'est.' : 'charged'} ${amount}${cost.unknown ? ' + unpriced' : ''}`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** A generation's header row: its prompt, how many images (and how many still coming), sizes and cost. */
export function GroupHeader({ summary }: { summary: GroupSummary }): ReactNode {
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
        {summary.prompt.split('\n', 1)[0]}
      </p>
      <p className="group-meta">
        {counts ? <span>{counts}</span> : null}
        <span>{summary.sizes.join(', ')}</span>
        <span className="group-cost">{summary.costs.map(costText).join(' + ') || 'cost unknown'}</span>
      </p>
    </div>
  )
}
