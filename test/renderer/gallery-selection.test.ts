import { describe, expect, it } from 'vitest'
import { clickSelect, EMPTY_SELECTION, selectAll, withoutIds, type Selection } from '../../src/renderer/src/gallery/gallery-selection'

const ORDER = ['a', 'b', 'c', 'd', 'e', 'f']
const plain = { range: false, toggle: false }
const shift = { range: true, toggle: false }
const ctrl = { range: false, toggle: true }
const ids = (sel: Selection): string[] => [...sel.ids].sort()

describe('gallery selection', () => {
  it('a click selects one image and makes it the anchor', () => {
    const sel = clickSelect(clickSelect(EMPTY_SELECTION, ORDER, 1, plain), ORDER, 3, plain)
    expect(ids(sel)).toEqual(['d'])
    expect(sel.anchor).toBe('d')
  })

  it('Shift-click selects the range from the anchor, either way, replacing the last range', () => {
    let sel = clickSelect(EMPTY_SELECTION, ORDER, 2, plain)
    sel = clickSelect(sel, ORDER, 4, shift)
    expect(ids(sel)).toEqual(['c', 'd', 'e'])
    sel = clickSelect(sel, ORDER, 0, shift)
    expect(ids(sel)).toEqual(['a', 'b', 'c'])
    expect(sel.anchor).toBe('c')
  })

  it('Ctrl/Cmd-click adds and removes one image; Ctrl+Shift adds a range to what is there', () => {
    let sel = clickSelect(EMPTY_SELECTION, ORDER, 0, plain)
    sel = clickSelect(sel, ORDER, 3, ctrl)
    expect(ids(sel)).toEqual(['a', 'd'])
    sel = clickSelect(sel, ORDER, 0, ctrl)
    expect(ids(sel)).toEqual(['d'])
    // The anchor is the last image Ctrl-clicked, even one just taken out.
    expect(sel.anchor).toBe('a')
    sel = clickSelect(sel, ORDER, 2, { range: true, toggle: true })
    expect(ids(sel)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('Shift-click without an anchor selects just that image', () => {
    expect(ids(clickSelect(EMPTY_SELECTION, ORDER, 2, shift))).toEqual(['c'])
  })

  it('select all takes every id given; deleted ids leave the selection and the anchor', () => {
    const all = selectAll(ORDER)
    expect(all.ids.size).toBe(6)
    const after = withoutIds(all, new Set(['a', 'c']))
    expect(ids(after)).toEqual(['b', 'd', 'e', 'f'])
    expect(after.anchor).toBeNull()
    expect(withoutIds(after, new Set(['zzz']))).toBe(after)
  })
})
