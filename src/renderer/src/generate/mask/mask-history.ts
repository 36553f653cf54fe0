/**
 * Undo and redo for the painter as a list of steps rather than pixel snapshots: a 4096-pixel
 * square mask is 16 MB a copy, a stroke a few hundred points. Undo replays the steps that remain
 * on the base the painter opened with (mask-raster.ts `replay`).
 */
export interface History<T> {
  /** The steps in effect, oldest first. */
  readonly done: readonly T[]
  /** Steps undone, most recently undone last; a new step clears them. */
  readonly undone: readonly T[]
}

export const emptyHistory = <T>(): History<T> => ({ done: [], undone: [] })

export function record<T>(h: History<T>, step: T): History<T> {
  return { done: [...h.done, step], undone: [] }
}

export function undo<T>(h: History<T>): History<T> {
  const last = h.done[h.done.length - 1]
  if (last === undefined) return h
  return { done: h.done.slice(0, -1), undone: [...h.undone, last] }
}

export function redo<T>(h: History<T>): History<T> {
  const next = h.undone[h.undone.length - 1]
  if (next === undefined) return h
  return { done: [...h.done, next], undone: h.undone.slice(0, -1) }
}

export const canUndo = (h: History<unknown>): boolean => h.done.length > 0
export const canRedo = (h: History<unknown>): boolean => h.undone.length > 0
