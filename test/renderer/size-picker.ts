import { fireEvent, screen } from '@testing-library/react'
import { parseSizeText } from '../../src/shared/api'
import { shapeOf, sizeFullName, sizeOptionName } from '../../src/shared/sizes/size-shapes'

/**
 * The prompt bar's size pickers as a person uses them: a size's checkbox sits under its shape, so
 * the shape is chosen first. Sizes are named by their one spelling ('1024x1024', '16:9@2K').
 */
export function sizeBox(size: string): HTMLInputElement {
  const spec = parseSizeText(size)
  if (!spec) throw new Error(`sizeBox: "${size}" is no size`)
  const aspect = screen.getByRole('radiogroup', { name: 'Aspect' })
  const shape = [...aspect.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.value === (shapeOf(spec) ?? 'Auto'))
  if (!shape) throw new Error(`sizeBox: no shape ${shapeOf(spec)} for ${size}`)
  if (!shape.checked) fireEvent.click(shape)
  return screen.getByRole('checkbox', { name: sizeOptionName(spec) }) as HTMLInputElement
}

/** Whether the size is among the chosen ones (its chip is there). */
export function isChosen(size: string): boolean {
  const spec = parseSizeText(size)!
  return screen.queryByRole('button', { name: `Remove ${sizeFullName(spec)}` }) !== null
}
