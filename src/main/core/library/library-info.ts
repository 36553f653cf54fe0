import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { LibraryInfo } from '../../../shared/api'
import { LIBRARY_DATABASE } from './recent-libraries'

/** What the store knows about the library's images; the size comes from rows, not a folder walk. */
export interface LibraryFigures {
  imageTotals(): { count: number; bytes: number }
}

// A walk over a library of years of work would take seconds; the image rows already carry their
// sizes, so the figure is images plus the database and its log.
export function libraryInfoOf(home: string, figures: LibraryFigures, runningJobs: number): LibraryInfo {
  const totals = figures.imageTotals()
  const database = [LIBRARY_DATABASE, `${LIBRARY_DATABASE}-wal`].reduce((sum, name) => sum + sizeOf(join(home, name)), 0)
  return { path: home, imageCount: totals.count, sizeBytes: totals.bytes + database, runningJobs }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
