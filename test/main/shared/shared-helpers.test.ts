import { describe, expect, it } from 'vitest'
import { sumMoney } from '../../../src/shared/api/money'
import { daysInRange } from '../../../src/shared/api/spend'
import { formatBytes } from '../../../src/shared/format/bytes'
import { searchWords } from '../../../src/shared/gallery/search-words'
import { newestFirst } from '../../../src/shared/paging/newest-first'
import { plural, pluralWord } from '../../../src/shared/format/plural'

describe('plural', () => {
  it('counts a noun, adding an s unless told the plural', () => {
    expect(plural(1, 'image')).toBe('1 image')
    expect(plural(0, 'image')).toBe('0 images')
    expect(plural(3, 'reference image')).toBe('3 reference images')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
    expect(pluralWord(1204, 'job')).toBe('jobs')
    expect(pluralWord(1, 'job')).toBe('job')
  })
})

describe('formatBytes', () => {
  it('reads as B, KB or MB, with the smallest unit named by the caller', () => {
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(812, 'bytes')).toBe('812 bytes')
    expect(formatBytes(48 * 1024 + 100)).toBe('48 KB')
    expect(formatBytes(2.4 * 1024 * 1024)).toBe('2.4 MB')
    expect(formatBytes(50 * 1024 * 1024)).toBe('50.0 MB')
  })
})

describe('sumMoney', () => {
  it('adds in micro-units, so a total is exactly the sum of its parts', () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(sumMoney([0.1, 0.2])).toBe(0.3)
    expect(1.1 + 2.2).not.toBe(3.3)
    expect(sumMoney([1.1, 2.2])).toBe(3.3)
    expect(sumMoney([0.015, 0.015, 0.015])).toBe(0.045)
    expect(sumMoney([])).toBe(0)
  })
})

describe('searchWords', () => {
  it('keeps runs of letters and digits and drops what a query language would read', () => {
    expect(searchWords('"red" OR sneaker*, 3D!')).toEqual(['red', 'OR', 'sneaker', '3D'])
    expect(searchWords('café 東京')).toEqual(['café', '東京'])
    expect(searchWords('!!! -- ""')).toEqual([])
  })
})

describe('daysInRange', () => {
  it('counts both ends, across a month and a leap day', () => {
    expect(daysInRange('2025-03-14', '2025-03-14')).toBe(1)
    expect(daysInRange('2024-02-28', '2024-03-01')).toBe(3)
    expect(daysInRange('2024-01-01', '2024-12-31')).toBe(366)
  })
})

describe('newestFirst', () => {
  it('sorts as the engine pages: newest first, then id descending', () => {
    const items = [
      { id: 'a', createdAt: 1 },
      { id: 'c', createdAt: 2 },
      { id: 'b', createdAt: 2 },
      { id: 'd', createdAt: 1 },
    ]
    expect([...items].sort(newestFirst).map((i) => i.id)).toEqual(['c', 'b', 'd', 'a'])
    expect(newestFirst(items[0]!, items[0]!)).toBe(0)
  })
})
