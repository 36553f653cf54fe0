import { randomUUID } from 'node:crypto'
import {
  ApiError,
  TEMPLATE_NAME_MAX,
  templateNameKey,
  type TemplateClash,
  type TemplateFields,
  type TemplateImportResult,
  type TemplateView,
} from '../../../shared/api'
import { parseTemplate } from '../../../shared/templates/template-text'
import type { Store } from '../store/store'
import type { TemplateRecord } from '../store/templates-repo'
import { builtinTemplates, type BuiltinTemplate } from './builtin-templates'
import { readTemplateFile, writeTemplateFile } from './template-file'
import { requireValidTemplate, uniqueName } from './template-rules'

/** meta key: the edition of built-ins this library has received (README.md explains the rule). */
export const BUILTINS_META_KEY = 'templates.builtinsEdition'

export interface TemplateLibraryDeps {
  store: Store
  now(): number
  builtins?: readonly BuiltinTemplate[]
}

export function toTemplateView(t: TemplateRecord): TemplateView {
  return { ...t, variables: parseTemplate(t.body).variables }
}

const copySuffix = (n: number): string => (n === 1 ? ' copy' : ` copy ${n}`)
const importedSuffix = (n: number): string => (n === 1 ? ' (imported)' : ` (imported ${n})`)

/** The library's prompt templates: checked writes, unique names, and the JSON file round trip. */
export class TemplateLibrary {
  private readonly store: Store
  private readonly now: () => number

  constructor(private readonly deps: TemplateLibraryDeps) {
    this.store = deps.store
    this.now = deps.now
  }

  private get repo() {
    return this.store.templates
  }

  /**
   * Writes the built-ins of editions this library has not received yet, each once. A built-in
   * the user deleted or renamed does not come back; one whose name the user already took is
   * left out. Returns how many were written.
   */
  seedBuiltins(): number {
    const builtins = this.deps.builtins ?? builtinTemplates
    const latest = Math.max(0, ...builtins.map((b) => b.edition))
    return this.store.db
      .transaction(() => {
        const had = Number(this.store.getMeta(BUILTINS_META_KEY) ?? 0)
        if (had >= latest) return 0
        let added = 0
        for (const { edition, ...fields } of builtins) {
          if (edition <= had || this.repo.findByName(fields.name)) continue
          this.insert(fields)
          added += 1
        }
        this.store.setMeta(BUILTINS_META_KEY, String(latest))
        return added
      })
      .immediate()
  }

  list(): TemplateView[] {
    return this.repo.list().map(toTemplateView)
  }

  get(id: string): TemplateView {
    return toTemplateView(this.record(id))
  }

  save(input: TemplateFields & { id?: string }): TemplateView {
    const { id, ...fields } = input
    const checked = requireValidTemplate(fields)
    return this.store.transaction(() => {
      const existing = id === undefined ? undefined : this.record(id)
      const clash = this.repo.findByName(checked.name)
      if (clash && clash.id !== existing?.id) {
        throw new ApiError('conflict', `A template named "${clash.name}" already exists.`, {
          field: 'name',
          fix: 'Choose another name, or edit the existing template instead.',
        })
      }
      if (!existing) return toTemplateView(this.insert(checked))
      const updated: TemplateRecord = { ...existing, ...checked, updatedAt: this.now() }
      this.repo.update(updated)
      return toTemplateView(updated)
    })
  }

  remove(id: string): boolean {
    return this.repo.remove(id)
  }

  duplicate(id: string, name?: string): TemplateView {
    return this.store.transaction(() => {
      const source = this.record(id)
      const copyName = name ?? uniqueName(source.name, copySuffix, (n) => this.repo.findByName(n) !== undefined, TEMPLATE_NAME_MAX)
      return this.save({ name: copyName, body: source.body, defaults: source.defaults, notes: source.notes })
    })
  }

  export(ids?: readonly string[]): { fileName: string; json: string; count: number } {
    const records = ids === undefined ? this.repo.list() : ids.map((id) => this.record(id, 'ids'))
    const now = this.now()
    const file = writeTemplateFile(records, now)
    const day = new Date(now).toISOString().slice(0, 10)
    return { fileName: `proofsheet-templates-${day}.json`, json: `${JSON.stringify(file, null, 2)}\n`, count: records.length }
  }

  /** All or nothing: every entry is checked, and clashes resolved, before the first write. */
  import(json: string, onClash: TemplateClash): TemplateImportResult {
    const entries = readTemplateFile(json)
    return this.store.transaction(() => {
      const clashes = entries.filter((e) => this.repo.findByName(e.name))
      if (clashes.length > 0 && onClash === 'refuse') {
        const names = clashes.map((e) => `"${e.name}"`).join(', ')
        throw new ApiError('conflict', `The library already has templates named ${names}. Nothing was imported.`, {
          field: 'onClash',
          fix: 'Import again and choose what to do with those: keep both (rename), replace, or skip.',
        })
      }
      const fileKeys = new Set(entries.map((e) => templateNameKey(e.name)))
      const taken = (name: string): boolean =>
        fileKeys.has(templateNameKey(name)) || this.repo.findByName(name) !== undefined
      const result: TemplateImportResult = { imported: [], skipped: [] }
      for (const entry of entries) {
        const existing = this.repo.findByName(entry.name)
        if (!existing) {
          const created = this.insert(entry)
          result.imported.push({ id: created.id, name: created.name, action: 'created' })
        } else if (onClash === 'skip') {
          result.skipped.push(entry.name)
        } else if (onClash === 'replace') {
          this.repo.update({ ...existing, ...entry, updatedAt: this.now() })
          result.imported.push({ id: existing.id, name: entry.name, action: 'replaced' })
        } else {
          const name = uniqueName(entry.name, importedSuffix, taken, TEMPLATE_NAME_MAX)
          const created = this.insert({ ...entry, name })
          result.imported.push({ id: created.id, name, action: 'renamed', from: entry.name })
        }
      }
      return result
    })
  }

  private insert(fields: TemplateFields): TemplateRecord {
    const now = this.now()
    const record: TemplateRecord = { id: `tpl_${randomUUID()}`, ...fields, createdAt: now, updatedAt: now }
    this.repo.insert(record)
    return record
  }

  private record(id: string, field = 'id'): TemplateRecord {
    const found = this.repo.get(id)
    if (!found) {
      throw new ApiError('not_found', `No template with id ${id}.`, { field, fix: 'It may have been deleted; reload the template list.' })
    }
    return found
  }
}
