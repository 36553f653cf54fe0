// The floor of `proofsheet providers` (bench/startup.ts): what any command that opens a library
// pays however its code is built. Node starts, loads better-sqlite3 (its JavaScript and the
// native binary), opens the library as openDatabase does (WAL, the same pragmas), looks up one
// key (the built-in templates' edition) and closes. Nothing of Proofsheet's own: no bundle, no
// zod, no contract, no engine.
import Database from 'better-sqlite3'

const db = new Database(`${process.argv[2]}/library.sqlite`, { fileMustExist: true })
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('templates.builtinsEdition')
db.close()
