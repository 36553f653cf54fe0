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

/**
 * The library database and its repositories. One per process; close it on shutdown.
 * Each repository prepares its statements when it is first used, not when the library opens: a
 * command that reads one table (`proofsheet providers`) does not compile the SQL of all of them.
 */
export class Store {
  #jobs?: JobsRepo
  #images?: ImagesRepo
  #keys?: KeysRepo
  #profiles?: ProfilesRepo
  #templates?: TemplatesRepo
  #budgets?: BudgetsRepo
  #spend?: SpendRepo
  #tags?: TagsRepo
  #batches?: BatchesRepo
  #prompts?: PromptHistoryRepo
  private readonly metaGet
  private readonly metaSet

  private constructor(readonly db: Database) {
    this.metaGet = db.prepare('SELECT value FROM meta WHERE key = ?').pluck()
    this.metaSet = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
  }

  get jobs(): JobsRepo {
    return (this.#jobs ??= new JobsRepo(this.db, this.images))
  }

  get images(): ImagesRepo {
    return (this.#images ??= new ImagesRepo(this.db))
  }

  get keys(): KeysRepo {
    return (this.#keys ??= new KeysRepo(this.db))
  }

  get profiles(): ProfilesRepo {
    return (this.#profiles ??= new ProfilesRepo(this.db))
  }

  get templates(): TemplatesRepo {
    return (this.#templates ??= new TemplatesRepo(this.db))
  }

  get budgets(): BudgetsRepo {
    return (this.#budgets ??= new BudgetsRepo(this.db))
  }

  get spend(): SpendRepo {
    return (this.#spend ??= new SpendRepo(this.db))
  }

  get tags(): TagsRepo {
    return (this.#tags ??= new TagsRepo(this.db))
  }

  get batches(): BatchesRepo {
    return (this.#batches ??= new BatchesRepo(this.db))
  }

  get prompts(): PromptHistoryRepo {
    return (this.#prompts ??= new PromptHistoryRepo(this.db))
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
