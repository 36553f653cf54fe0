/** What the provider forms share: reading typed numbers and price rows. */
import { PROFILE_TEXT_LIMITS } from '../../../shared/api'
import type { ErrorNoteData } from '../ui/format/error-note'
import type { PriceRow } from './PriceTableEditor'

/** How a profile sends its key, as the provider forms offer it. */
export const AUTH_CHOICES = [
  { value: 'bearer', label: 'Authorization: Bearer' },
  { value: 'x-api-key', label: 'x-api-key header' },
] as const

/** A number typed into a field, or null when the field is empty or not a number. */
export function numberOrNull(text: string): number | null {
  if (text.trim() === '') return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

/** What is wrong with a price table as typed, named by row, before anything is sent. */
export function checkPriceRows(rows: readonly PriceRow[]): ErrorNoteData | null {
  for (const [index, row] of rows.entries()) {
    if (row.tier.trim() === '' && row.price.trim() === '') continue
    const name = `Price tier ${index + 1}`
    if (row.tier.trim() === '') return { message: `${name} has no name.`, fix: 'Name it after its size tier, such as 1K, or "image" for a flat price.' }
    const price = numberOrNull(row.price)
    if (price === null || price < 0) return { message: `${name} (${row.tier}) has no valid price.`, fix: 'Enter the price per image, such as 0.04.' }
    if (row.maxLongSide.trim() !== '') {
      const side = numberOrNull(row.maxLongSide)
      if (side === null || side < 1 || !Number.isInteger(side)) {
        return { message: `${name} (${row.tier}): "longest side up to" must be a whole number of pixels.`, fix: 'Enter e.g. 1536, or leave it empty.' }
      }
    }
  }
  return null
}

/** A whole number typed into a field, checked against its range; the problem names the field. */
export function wholeNumber(
  text: string,
  label: string,
  { min, max }: { min: number; max: number },
): { value: number } | { problem: ErrorNoteData } {
  const value = numberOrNull(text)
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    return { problem: { message: `${label} must be a whole number from ${min} to ${max}.`, fix: `Enter a number between ${min} and ${max}.` } }
  }
  return { value }
}

/**
 * A profile id made from a name, following the contract's rule (2 to PROFILE_TEXT_LIMITS.id lowercase
 * letters, digits or dashes, starting with a letter): "Studio Proxy (EU)" becomes "studio-proxy-eu".
 */
export function profileIdFrom(name: string): string {
  const words = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[a-z0-9]+/g) ?? []
  let id = words.join('-')
  if (id !== '' && !/^[a-z]/.test(id)) id = `p-${id}`
  return id.slice(0, PROFILE_TEXT_LIMITS.id).replace(/-+$/, '')
}
