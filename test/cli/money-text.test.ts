import { describe, expect, it } from 'vitest'
import { decimals, money } from '../../src/cli/output'
import { groupDigits } from '../../src/shared/format/digits'
import { seededRandom } from '../helpers/seeded-random'

// The CLI's prices and the contract's limit messages are spelled without Intl (its first call sets
// up ICU, a third of the command's start-up budget), exactly as toLocaleString('en-US') spells them.
const intlDecimals = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4, useGrouping: false })

describe('prices and counts spelled without Intl', () => {
  it('writes 2 to 4 decimals as toLocaleString does, halves rounded away from zero', () => {
    const edges = [0, 0.015, 0.5, 1.3, 0.804, 0.00125, 0.00005, 0.00015, 1.00005, 2.99995, 9.99995, 0.99999, 0.1 + 0.2, 1e-6, 0.0000049, 1_000_000, -0.015, -1.23456, 123456.78905]
    for (const n of edges) expect(decimals(n, 2, 4), String(n)).toBe(intlDecimals(n))
    const random = seededRandom(15)
    for (let i = 0; i < 20_000; i++) {
      // Amounts as roundMoney leaves them: up to 6 decimals, from fractions of a cent to thousands.
      const n = Math.round(random.next() * 10 ** (1 + (i % 9))) / 10 ** (i % 7)
      expect(decimals(n, 2, 4), String(n)).toBe(intlDecimals(n))
    }
    expect(money(0.015, 'USD')).toBe('$0.015')
    expect(money(12.5, 'EUR')).toBe('EUR 12.50')
  })

  it('groups whole numbers by thousands as toLocaleString does', () => {
    for (const n of [0, 7, 999, 1000, 32_000, 1_000_000, 5_000_000, -1234, 2 ** 53 - 1]) {
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'))
    }
  })

  it('does both without calling Intl', () => {
    const real = Number.prototype.toLocaleString
    Number.prototype.toLocaleString = () => {
      throw new Error('Intl was called')
    }
    try {
      expect(money(0.015, 'USD')).toBe('$0.015')
      expect(groupDigits(32_000)).toBe('32,000')
    } finally {
      Number.prototype.toLocaleString = real
    }
  })
})
