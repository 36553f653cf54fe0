import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatAmount } from '../../src/shared/api'
import { moneyLocale } from '../../src/cli/locale'
import { cliInProcess } from '../helpers/cli-in-process'

const home = mkdtempSync(join(tmpdir(), 'proofsheet-money-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

// openai's list price for 1024x1024 is 0.22 USD an image (builtin-profiles.ts).
const estimate = (env: Record<string, string>, json = false) =>
  cliInProcess(['estimate', '--provider', 'openai', '--size', '1024x1024', '--n', '2', '--home', home, ...(json ? ['--json'] : [])], env)

describe('money in the user\'s locale, one formatter for the CLI and the app', () => {
  it('the CLI writes amounts as en-US does under LANG=en_US.UTF-8', async () => {
    const run = await estimate({ LANG: 'en_US.UTF-8' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/1024x1024 +2 +\$0\.22 +\$0\.44/)
    expect(run.stdout).toMatch(/^Total \$0\.44 /m)
  })

  it('the CLI writes amounts as de-DE does under LC_ALL=de_DE.UTF-8, which outranks LANG', async () => {
    const run = await estimate({ LC_ALL: 'de_DE.UTF-8', LANG: 'en_US.UTF-8' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/1024x1024 +2 +0,22\s\$ +0,44\s\$/)
    expect(run.stdout).toMatch(/^Total 0,44\s\$ /m)
  })

  it('LC_MONETARY is used when LC_ALL is not set; C and unknown locales give en-US', () => {
    expect(moneyLocale({ LC_MONETARY: 'fr_FR.UTF-8', LANG: 'en_US.UTF-8' })).toBe('fr-FR')
    expect(moneyLocale({ LANG: 'de_DE.UTF-8@euro' })).toBe('de-DE')
    expect(moneyLocale({ LANG: 'C.UTF-8' })).toBe('en-US')
    expect(moneyLocale({ LC_ALL: 'POSIX' })).toBe('en-US')
    expect(moneyLocale({ LANG: 'not a locale!' })).toBe('en-US')
    expect(moneyLocale({})).toBe('en-US')
  })

  it('--json keeps machine numbers whatever the locale', async () => {
    const de = await estimate({ LC_ALL: 'de_DE.UTF-8' }, true)
    const en = await estimate({ LANG: 'en_US.UTF-8' }, true)
    expect(de.stdout).toBe(en.stdout)
    expect(de.json()).toMatchObject({ currency: 'USD', total: 0.44, lines: [{ unitPrice: 0.22, subtotal: 0.44 }] })
  })

  it('euros read "€5.00" in en-US and "5,00 €" in de-DE (not "EUR 5.00"); fractions of a cent stay', () => {
    expect(formatAmount(5, 'EUR', 'en-US')).toBe('€5.00')
    expect(formatAmount(5, 'EUR', 'de-DE')).toBe('5,00\u00a0€')
    expect(formatAmount(0.015, 'USD', 'en-US')).toBe('$0.015')
    expect(formatAmount(0.015, 'USD', 'de-DE')).toBe('0,015\u00a0$')
  })
})
