import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { NoInput, Ok, route } from './route'

/**
 * The library folder in use, the ones opened before, and switching between them. A switch closes
 * this library's store and opens the other one (migrations, damage check); it is refused while
 * jobs run unless the caller accepts that they are interrupted, as on a restart, and resume when
 * that library is opened again.
 */

/** A folder path as the person's OS spells it; absolute, checked by the engine. */
const FolderPath = onFirstUse(() => z.string().min(1, 'name a folder').max(4096))

export const LibraryInfo = onFirstUse(() => z.object({
  path: z.string(),
  imageCount: z.number().int().nonnegative(),
  /** The images' files plus the database, in bytes (thumbnails and exports are not counted). */
  sizeBytes: z.number().int().nonnegative(),
  /** Jobs this process is running in it now: a switch would interrupt them. */
  runningJobs: z.number().int().nonnegative(),
}))
export type LibraryInfo = z.infer<typeof LibraryInfo>

export const RecentLibrary = onFirstUse(() => z.object({
  path: z.string(),
  /** When it was last opened here, in ms since the epoch. */
  openedAt: z.number(),
  /** The folder (or its database) is gone: moved, renamed, or on a disk that is not attached. */
  missing: z.boolean(),
  current: z.boolean(),
}))
export type RecentLibrary = z.infer<typeof RecentLibrary>

export const WhileRunning = onFirstUse(() => z.enum(['refuse', 'interrupt']))

export const libraryRoutes = onFirstUse(() => ({
  'library.current': route(NoInput, LibraryInfo),
  'library.recent': route(NoInput, z.array(RecentLibrary)),
  /** `create`: make a new, empty library in a folder that is empty or does not exist yet. */
  'library.open': route(
    z.object({ path: FolderPath, create: z.boolean().default(false), whileRunning: WhileRunning.default('refuse') }).strict(),
    LibraryInfo,
  ),
  /** Drops a folder from the recent list (its files are not touched). */
  'library.forget': route(z.object({ path: FolderPath }).strict(), Ok),
} as const))
