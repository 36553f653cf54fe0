import { describe, expect, it } from 'vitest'
import { groupDigits } from '../../src/shared/format/digits'

// The contract's limit messages are built when their modules load, so they spell counts without
// Intl (its first call sets up ICU, several milliseconds of every command's start), exactly as
// toLocaleString('en-US') spells them. Amounts of money are the user's locale's, through Intl
// (src/shared/api/money.ts), and only where a command prints one.
describe('counts in the contract spelled without Intl', () => {
  it('groups whole numbers by thousands as toLocaleString does', () => {
    for (const n of [0, 7, 999, 1000, 32_000, 1_000_000, 5_000_000, -1234, 2 ** 53 - 1]) {
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'))
    }
  })

  it('does so without calling Intl', () => {
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
