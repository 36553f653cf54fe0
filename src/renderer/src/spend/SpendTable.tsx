import type { ReactNode } from 'react'
import type { SpendFigures } from '../../../shared/api'
import { formatTallies } from './spend-format'

export interface SpendTableRow {
  name: string
  figures: SpendFigures
}

/** Jobs, estimated and charged per row (a day, a key, a provider); rows without jobs are dimmed. */
export function SpendTable({ caption, head, rows }: { caption: string; head: string; rows: readonly SpendTableRow[] }): ReactNode {
  return (
    <table className="spend-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">Jobs</th>
          <th scope="col">Estimated</th>
          <th scope="col">Charged</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} className={row.figures.jobs === 0 ? 'is-empty' : undefined}>
            <th scope="row">{row.name}</th>
            <td>{row.figures.jobs}</td>
            <td>{formatTallies(row.figures.estimated)}</td>
            <td>{formatTallies(row.figures.charged)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
