import { WorkspaceDraft, WorkspaceLayout, type WorkspaceMemory } from '../../../shared/api'

/**
 * The workspace's memory (draft and layout) kept in the library's meta table, one JSON value
 * each. Reading is forgiving: a value that does not parse any more is dropped field by field for
 * the layout and whole for the draft, so an old or hand-edited library still opens.
 */

export interface MetaStore {
  getMeta(key: string): string | undefined
  setMeta(key: string, value: string): void
}

const DRAFT_KEY = 'workspace.draft'
const LAYOUT_KEY = 'workspace.layout'

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export class WorkspaceMemoryStore {
  constructor(private readonly meta: MetaStore) {}

  get(): WorkspaceMemory {
    const draft = WorkspaceDraft.safeParse(parseJson(this.meta.getMeta(DRAFT_KEY)))
    return { draft: draft.success ? draft.data : null, layout: this.layout() }
  }

  save(input: { draft?: WorkspaceDraft | undefined; layout?: Partial<WorkspaceLayout> | undefined }): void {
    if (input.draft !== undefined) this.meta.setMeta(DRAFT_KEY, JSON.stringify(input.draft))
    if (input.layout !== undefined) this.meta.setMeta(LAYOUT_KEY, JSON.stringify({ ...this.layout(), ...input.layout }))
  }

  private layout(): Partial<WorkspaceLayout> {
    const stored = parseJson(this.meta.getMeta(LAYOUT_KEY))
    if (typeof stored !== 'object' || stored === null) return {}
    const out: Record<string, unknown> = {}
    const fields = WorkspaceLayout.shape
    for (const [name, value] of Object.entries(stored)) {
      const schema = fields[name as keyof typeof fields]
      if (schema?.safeParse(value).success) out[name] = value
    }
    return out as Partial<WorkspaceLayout>
  }
}
