import { describe, expect, it } from 'vitest'
import { formatAmount } from '../../src/shared/api'
import { browserLocale, formatMoney } from '../../src/renderer/src/ui/format/money'

describe('the app formats money with the shared formatter in the browser\'s locale', () => {
  it('uses navigator.language, and words euros as the CLI does in the same locale', () => {
    expect(browserLocale()).toBe(navigator.language)
    expect(formatMoney(5, 'EUR', 'en-US')).toBe('€5.00')
    expect(formatMoney(5, 'EUR', 'de-DE')).toBe('5,00\u00a0€')
    expect(formatMoney(5, 'EUR', 'de-DE')).toBe(formatAmount(5, 'EUR', 'de-DE'))
    expect(formatMoney(null, 'EUR')).toBe('price not set')
  })
})
