/** Local calendar days: where one day ends and the next begins, in named time zones. */
import { describe, expect, it } from 'vitest'
import { addDays, Calendar, daysBetween } from '../../../src/main/core/spend/calendar'

describe('Calendar', () => {
  it('puts an instant on the local day of its time zone, not on the UTC day', () => {
    const t = Date.UTC(2025, 2, 14, 23, 30) // 23:30 UTC on 14 March
    expect(new Calendar('UTC').dayOf(t)).toBe('2025-03-14')
    expect(new Calendar('Europe/Berlin').dayOf(t)).toBe('2025-03-15')
    expect(new Calendar('America/New_York').dayOf(t)).toBe('2025-03-14')
  })

  it('starts a day at local midnight', () => {
    expect(new Calendar('Europe/Berlin').startOf('2025-03-15')).toBe(Date.UTC(2025, 2, 14, 23, 0))
    expect(new Calendar('Asia/Kolkata').startOf('2025-03-15')).toBe(Date.UTC(2025, 2, 14, 18, 30))
  })

  it('gives a day with a clock change its real length', () => {
    const berlin = new Calendar('Europe/Berlin')
    const spring = berlin.span('2025-03-30') // clocks go forward at 02:00
    expect(spring.end - spring.start).toBe(23 * 3_600_000)
    const autumn = berlin.span('2025-10-26')
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000)
  })

  it('finds the first instant of a day whose midnight does not exist', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 7 September 2025.
    const santiago = new Calendar('America/Santiago')
    const start = santiago.startOf('2025-09-07')
    expect(santiago.dayOf(start)).toBe('2025-09-07')
    expect(santiago.dayOf(start - 1)).toBe('2025-09-06')
  })

  it('refuses a time zone it does not know, naming the field', () => {
    expect(() => new Calendar('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'bad_input', field: 'timeZone' }))
  })

  it('without a zone, uses the system zone (read on first use)', () => {
    const system = Intl.DateTimeFormat().resolvedOptions().timeZone
    const t = Date.UTC(2025, 2, 14, 23, 30)
    const calendar = new Calendar()
    expect(calendar.dayOf(t)).toBe(new Calendar(system).dayOf(t))
    expect(calendar.timeZone).toBe(system)
  })

  it('counts days across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(daysBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'])
  })
})
