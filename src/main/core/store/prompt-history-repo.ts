import type { Database } from 'better-sqlite3'
import type { PromptHistoryEntry } from '../../../shared/api'

/** `%text%` for LIKE, with the pattern characters in the text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const STARRED = '(SELECT count(*) FROM images WHERE images.prompt = h.prompt AND images.favorite = 1) AS starred'

/** The two reads, exported so a test can check their plans (EXPLAIN QUERY PLAN) at scale. */
export const PROMPT_HISTORY_SQL = {
  recent: `SELECT h.prompt, h.last_used_at AS lastUsedAt, ${STARRED}
    FROM prompt_history AS h ORDER BY h.last_used_at DESC, h.id DESC LIMIT @limit`,
  matching: `SELECT h.prompt, h.last_used_at AS lastUsedAt, ${STARRED}
    FROM prompt_history AS h WHERE h.prompt LIKE @pattern ESCAPE '\\'
    ORDER BY h.last_used_at DESC, h.id DESC LIMIT @limit`,
} as const

/**
 * The prompt history (migration 0010 keeps its rows as jobs are inserted). Each read walks the
 * last-used index newest first and stops at the limit; the starred count per prompt comes from
 * the partial index over starred images. Nothing here groups or sorts the jobs table.
 */
export class PromptHistoryRepo {
  private readonly recentStmt
  private readonly matchingStmt

  constructor(db: Database) {
    this.recentStmt = db.prepare(PROMPT_HISTORY_SQL.recent)
    this.matchingStmt = db.prepare(PROMPT_HISTORY_SQL.matching)
  }

  /** The newest distinct prompts, those containing `search` when it has any visible text. */
  recent(limit: number, search?: string): PromptHistoryEntry[] {
    const text = search?.trim() ?? ''
    const rows = text === '' ? this.recentStmt.all({ limit }) : this.matchingStmt.all({ limit, pattern: containsPattern(text) })
    return rows as PromptHistoryEntry[]
  }
}
