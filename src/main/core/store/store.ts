import type { Database } from 'better-sqlite3'
import { BatchesRepo } from './batches-repo'
import { BudgetsRepo } from './budgets-repo'
import { closeDatabase, openDatabase } from './database'
import { ImagesRepo } from './images-repo'
import { JobsRepo } from './jobs-repo'
import { KeysRepo } from './keys-repo'
import { ProfilesRepo } from './profiles-repo'
import { PromptHistoryRepo } from './prompt-history-repo'
import { TemplatesRepo } from './templates-repo'
import { SpendRepo } from './spend-repo'
import { TagsRepo } from './tags-repo'

/** The library database and its repositories. One per process; close it on shutdown. */
export class Store {
  readonly jobs: JobsRepo
  readonly images: ImagesRepo
  readonly keys: KeysRepo
  readonly profiles: ProfilesRepo
  readonly templates: TemplatesRepo
  readonly budgets: BudgetsRepo
  readonly spend: SpendRepo
  readonly tags: TagsRepo
  readonly batches: BatchesRepo
  readonly prompts: PromptHistoryRepo
  private readonly metaGet
  private readonly metaSet

  private constructor(readonly db: Database) {
    this.images = new ImagesRepo(db)
    this.jobs = new JobsRepo(db, this.images)
    this.keys = new KeysRepo(db)
    this.profiles = new ProfilesRepo(db)
    this.templates = new TemplatesRepo(db)
    this.budgets = new BudgetsRepo(db)
    this.spend = new SpendRepo(db)
    this.tags = new TagsRepo(db)
    this.batches = new BatchesRepo(db)
    this.prompts = new PromptHistoryRepo(db)
    this.metaGet = db.prepare('SELECT value FROM meta WHERE key = ?').pluck()
    this.metaSet = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
  }

  static open(file: string): Store {
    return new Store(openDatabase(file))
  }

  getMeta(key: string): string | undefined {
    return this.metaGet.get(key) as string | undefined
  }

  setMeta(key: string, value: string): void {
    this.metaSet.run(key, value)
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Closes the library; a clean close lets the next open skip reading every page (database.ts). */
  close(): void {
    closeDatabase(this.db)
  }
}
