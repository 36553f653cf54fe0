import { describe, expect, it } from 'vitest'
import { formatAmount } from '../../../src/shared/api/money'
import { groupDigits, plainUsd } from '../../../src/shared/format/digits'
import { seededRandom } from '../../helpers/seeded-random'

// Dollar amounts in en-US are written without Intl (its first call sets up ICU, ~10 ms of a quick
// command's start); the text must be exactly Intl's, or the CLI and the app would differ.
const intl = (n: number): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(n)

describe('dollars in en-US without Intl', () => {
  it('writes what Intl writes: 2 to 4 decimals, thousands grouped, halves rounded away from zero', () => {
    const edges = [0, 0.015, 0.5, 1.3, 0.804, 0.00125, 0.00005, 0.00015, 1.00005, 2.99995, 9.99995, 0.99999, 0.1 + 0.2, 0.0000049, 999.99995, 1000, 1234.5, 1_000_000, 123456.78905, 2 ** 40 + 0.125]
    for (const n of edges) expect(plainUsd(n), String(n)).toBe(intl(n))
    const random = seededRandom(16)
    for (let i = 0; i < 20_000; i++) {
      // Amounts as the money rules leave them: up to 6 decimals, fractions of a cent to millions.
      const n = Math.round(random.next() * 10 ** (1 + (i % 10))) / 10 ** (i % 7)
      expect(plainUsd(n), String(n)).toBe(intl(n))
    }
  })

  it('leaves to Intl what only Intl knows: negatives, exponent forms, what is not a number', () => {
    for (const n of [-0, -1.5, 1e-7, 1e21, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(plainUsd(n), String(n)).toBeNull()
      expect(formatAmount(n, 'USD')).toBe(intl(n))
    }
  })

  it('is what formatAmount gives for dollars in en-US, and other currencies and locales still go through Intl', () => {
    const real = Intl.NumberFormat
    let calls = 0
    Intl.NumberFormat = new Proxy(real, { construct: (target, args) => (calls++, Reflect.construct(target, args)) })
    try {
      expect(formatAmount(0.015, 'USD', 'en-US')).toBe('$0.015')
      expect(formatAmount(1234.5, 'USD')).toBe('$1,234.50')
      expect(calls).toBe(0)
      expect(formatAmount(5, 'EUR', 'en-US')).toBe('€5.00')
      expect(formatAmount(5, 'USD', 'de-DE')).toMatch(/^5,00\s\$$/)
      expect(calls).toBe(2)
    } finally {
      Intl.NumberFormat = real
    }
  })
})

// The contract's limit messages are built when their modules load, so they spell counts without
// Intl too, exactly as toLocaleString('en-US') spells them.
describe('counts spelled without Intl', () => {
  it('groups whole numbers by thousands as toLocaleString does, without calling it', () => {
    for (const n of [0, 7, 999, 1000, 32_000, 1_000_000, 5_000_000, -1234, 2 ** 53 - 1]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'))
    const real = Number.prototype.toLocaleString
    Number.prototype.toLocaleString = () => {
      throw new Error('Intl was called')
    }
    try {
      expect(groupDigits(32_000)).toBe('32,000')
    } finally {
      Number.prototype.toLocaleString = real
    }
  })
})
