import type { Database } from 'better-sqlite3'
import type { KeyRecord } from './records'

interface KeyRow {
  id: string
  provider: string
  label: string
  last4: string
  backend: KeyRecord['backend']
  created_at: number
  host: string | null
}

const toRecord = (r: KeyRow): KeyRecord => ({
  id: r.id,
  provider: r.provider,
  label: r.label,
  last4: r.last4,
  backend: r.backend,
  createdAt: r.created_at,
  host: r.host,
})

/**
 * Key metadata only. The secret itself lives in the SecretStore and never in this file. This is
 * the vault's KeyMetadataStore; the engine's wiring checks that it fits, since the store does not
 * import the services above it.
 */
export class KeysRepo {
  private readonly insertStmt
  private readonly listStmt
  private readonly getStmt
  private readonly removeStmt
  private readonly byLabelStmt
  private readonly updateSecretInfoStmt

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO keys (id, provider, label, last4, backend, created_at, host)
      VALUES (@id, @provider, @label, @last4, @backend, @createdAt, @host)`)
    this.listStmt = db.prepare('SELECT * FROM keys ORDER BY provider, label')
    this.getStmt = db.prepare('SELECT * FROM keys WHERE id = ?')
    this.removeStmt = db.prepare('DELETE FROM keys WHERE id = ?')
    this.byLabelStmt = db.prepare('SELECT * FROM keys WHERE provider = ? AND label = ?')
    this.updateSecretInfoStmt = db.prepare('UPDATE keys SET last4 = @last4, backend = @backend, host = coalesce(@host, host) WHERE id = @id')
  }

  insert(k: KeyRecord): void {
    this.insertStmt.run(k)
  }
  list(): KeyRecord[] {
    return (this.listStmt.all() as KeyRow[]).map(toRecord)
  }
  get(id: string): KeyRecord | undefined {
    const row = this.getStmt.get(id) as KeyRow | undefined
    return row && toRecord(row)
  }
  remove(id: string): boolean {
    return this.removeStmt.run(id).changes === 1
  }
  updateSecretInfo(id: string, info: { last4: string; backend: KeyRecord['backend']; host?: string | null }): void {
    this.updateSecretInfoStmt.run({ id, last4: info.last4, backend: info.backend, host: info.host ?? null })
  }
  findByLabel(provider: string, label: string): KeyRecord | undefined {
    const row = this.byLabelStmt.get(provider, label) as KeyRow | undefined
    return row && toRecord(row)
  }
}
