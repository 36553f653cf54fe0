/**
 * The libraries opened on this machine, most recent first, kept in a small JSON file in the app's
 * config folder (home.ts), never inside a library: it is about the machine, and a library copied
 * to another one must not bring this list along. A file that no longer parses reads as an empty
 * list (the list is a convenience; losing it loses nothing else).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { RecentLibrary } from '../../../shared/api'
import { writeFileAtomic } from '../files/atomic-write'

export const RECENT_LIMIT = 12
export const LIBRARY_DATABASE = 'library.sqlite'

const Stored = z.object({
  version: z.literal(1),
  libraries: z.array(z.object({ path: z.string().min(1), openedAt: z.number() })).max(100),
})
type Stored = z.infer<typeof Stored>

export class RecentLibraries {
  constructor(
    private readonly file: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Most recent first; a folder whose database is gone is marked missing, not dropped. */
  list(currentPath: string | null): RecentLibrary[] {
    return this.read().libraries.map((entry) => ({
      path: entry.path,
      openedAt: entry.openedAt,
      missing: !existsSync(join(entry.path, LIBRARY_DATABASE)),
      current: entry.path === currentPath,
    }))
  }

  /** The most recent library that is still there, or null. */
  lastOpened(): string | null {
    return this.list(null).find((entry) => !entry.missing)?.path ?? null
  }

  async remember(path: string): Promise<void> {
    const rest = this.read().libraries.filter((entry) => entry.path !== path)
    await this.write({ version: 1, libraries: [{ path, openedAt: this.now() }, ...rest].slice(0, RECENT_LIMIT) })
  }

  /** True when the path was in the list. */
  async forget(path: string): Promise<boolean> {
    const stored = this.read()
    const kept = stored.libraries.filter((entry) => entry.path !== path)
    if (kept.length === stored.libraries.length) return false
    await this.write({ version: 1, libraries: kept })
    return true
  }

  private read(): Stored {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch {
      return { version: 1, libraries: [] }
    }
    try {
      const parsed = Stored.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data : { version: 1, libraries: [] }
    } catch {
      return { version: 1, libraries: [] }
    }
  }

  private async write(stored: Stored): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(stored, null, 2)}\n`)
  }
}
