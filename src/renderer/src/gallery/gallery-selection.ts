/**
 * Which gallery images are selected, changed the way file managers do it: a click selects one,
 * Ctrl/Cmd-click adds or removes one, Shift-click selects the range from the anchor (the last
 * image clicked without Shift). Pure functions over the ids in view, so the rules are tested alone.
 */

export interface Selection {
  readonly ids: ReadonlySet<string>
  /** Where a Shift range starts. */
  readonly anchor: string | null
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null }

export interface ClickModifiers {
  /** Shift: the range from the anchor. */
  range: boolean
  /** Ctrl or Cmd: add to / take from the selection instead of replacing it. */
  toggle: boolean
}

/** Applies a click (or its keyboard equivalent) on `order[index]`. */
export function clickSelect(sel: Selection, order: readonly string[], index: number, mods: ClickModifiers): Selection {
  const id = order[index]
  if (id === undefined) return sel
  if (mods.range && sel.anchor !== null) {
    const from = order.indexOf(sel.anchor)
    if (from !== -1) {
      const [lo, hi] = from <= index ? [from, index] : [index, from]
      const range = order.slice(lo, hi + 1)
      const ids = mods.toggle ? new Set([...sel.ids, ...range]) : new Set(range)
      return { ids, anchor: sel.anchor }
    }
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids)
    if (ids.has(id)) ids.delete(id)
    else ids.add(id)
    return { ids, anchor: id }
  }
  return { ids: new Set([id]), anchor: id }
}

export function selectAll(ids: readonly string[]): Selection {
  return { ids: new Set(ids), anchor: ids[0] ?? null }
}

/** Drops ids that are gone (deleted). */
export function withoutIds(sel: Selection, gone: ReadonlySet<string>): Selection {
  if (![...gone].some((id) => sel.ids.has(id))) return sel
  const ids = new Set([...sel.ids].filter((id) => !gone.has(id)))
  return { ids, anchor: sel.anchor !== null && gone.has(sel.anchor) ? null : sel.anchor }
}
