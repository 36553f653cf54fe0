/**
 * The engine's one door for the processes around it: the Electron shell (src/main), browser mode
 * (src/web) and the CLI (src/cli) import from here and nowhere deeper (eslint's layer rule keeps
 * it so). What they need beyond the engine is what a door does at its edge: find the library,
 * check raw input before the router, serve library files, read template files.
 * Add an export here when a door needs one; do not reach past it.
 */
export { createEngine } from './engine'
export type { Encryptor, Engine, EngineLog, EngineOptions, Trash } from './engine'
export * from './logs'
export { defaultConfigFolder, defaultLibraryHome, recentLibrariesFile, startLibraryHome } from './home'
export { openLibraryHost, type LibraryHost } from './library/library-host'
export { RecentLibraries } from './library/recent-libraries'
export type { LibrarySwitch } from './library/library-handlers'
export { MAX_INPUT_ITEMS, MAX_INPUT_KEYS, tooManyItems, tooManyKeys } from './raw-input'
export { mimeTypeFor, parseMediaPath, resolveLibraryFile } from './media/library-path'
export { storageApiError } from './files/storage-check'
export { readTemplateFile } from './templates/template-file'
export { parseUpdateFeed, resolveUpdateFeed, UPDATE_FEED_ENV, type UpdateFeed } from './updates/update-feed'
export { decideUpdate, type CheckOutcome, type ConnectionCost, type UpdateAnswer, type UpdateStep, type UpdateTrigger } from './updates/update-decision'
