import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider, estimateFor, sizesOf } from './fake-api'
import { isChosen, sizeBox } from './size-picker'

// The size pickers in the prompt bar: shapes, then resolutions with pixels and prices, chips for
// what is chosen, channel presets and custom sizes in a popover beside the bar.

afterEach(cleanup)

const getimg = demoProvider({
  id: 'getimg',
  name: 'getimg.ai',
  sizeMode: 'aspect',
  sizes: sizesOf('1:1@1K', '16:9@1K', '9:16@1K', '1:1@2K', '16:9@2K', '9:16@2K'),
  prices: [
    { tier: '1K', price: 0.06 },
    { tier: '2K', price: 0.12 },
  ],
})

const openai = demoProvider({
  id: 'openai',
  name: 'OpenAI',
  modelId: 'gpt-image-2',
  sizes: sizesOf('1024x1024', '1536x1024', '1024x1536', '2048x2048', '1792x1024'),
  prices: [
    { tier: '1K', price: 0.22, maxLongSide: 1536 },
    { tier: '2K', price: 0.5, maxLongSide: 2048 },
    { tier: '4K', price: 1.3 },
  ],
  customSizes: { min: 256, max: 3840, multipleOf: 16, maxAspect: 3, minPixels: 655_360, maxPixels: 8_294_400 },
})

async function renderWith(...providers: ReturnType<typeof demoProvider>[]) {
  const api = createFakeApi({ 'providers.list': () => ({ providers }), 'jobs.estimate': estimateFor })
  render(<App api={api} />)
  await waitFor(() => expect((screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement).value).toBe(providers[0]!.id))
  return api
}

const radios = (): HTMLInputElement[] => within(screen.getByRole('radiogroup', { name: 'Aspect' })).getAllByRole('radio')
const resolutions = () => within(screen.getByRole('group', { name: 'Resolution' }))

describe('size pickers', () => {
  it('shows the shapes tallest to widest, and each resolution with its pixels and price', async () => {
    const api = await renderWith(getimg)
    expect(radios().map((r) => r.value)).toEqual(['9:16', '1:1', '16:9'])
    // It starts on the default size's shape.
    expect((screen.getByRole('radio', { name: '1:1' }) as HTMLInputElement).checked).toBe(true)

    fireEvent.click(screen.getByRole('radio', { name: '16:9' }))
    const boxes = resolutions().getAllByRole('checkbox')
    expect(boxes.map((b) => b.getAttribute('aria-label'))).toEqual(['1K (1024 × 576)', '2K (2048 × 1152)'])
    expect(resolutions().getByText('$0.12 / image')).toBeTruthy()

    fireEvent.click(resolutions().getByRole('checkbox', { name: '2K (2048 × 1152)' }))
    await waitFor(() => expect(api.callsTo('jobs.estimate').at(-1)).toMatchObject({ sizes: [{ aspect: '1:1', resolution: '1K' }, { aspect: '16:9', resolution: '2K' }] }))
    const chips = screen.getByRole('list', { name: 'Chosen sizes' })
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1024 × 1024$0.06×', '2048 × 1152$0.12×'])

    fireEvent.click(screen.getByRole('button', { name: 'Remove 16:9 2K (2048 × 1152)' }))
    expect((resolutions().getByRole('checkbox', { name: '2K (2048 × 1152)' }) as HTMLInputElement).checked).toBe(false)
    expect(isChosen('16:9@2K')).toBe(false)
  })

  it('keeps the shape in view when its last chosen size is unticked', async () => {
    await renderWith(openai)
    const square = sizeBox('1024x1024')
    expect(square.checked).toBe(true)
    fireEvent.click(square)
    expect((screen.getByRole('radio', { name: '1:1' }) as HTMLInputElement).checked).toBe(true)
    expect((resolutions().getByRole('checkbox', { name: '1024 × 1024' }) as HTMLInputElement).checked).toBe(false)
    expect(screen.getByText('No size chosen: pick a shape and a resolution.')).toBeTruthy()
  })

  it('moves through the resolutions with the arrow keys', async () => {
    await renderWith(openai)
    const first = sizeBox('1024x1024')
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowRight' })
    expect(document.activeElement).toBe(resolutions().getByRole('checkbox', { name: '2048 × 2048' }))
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' })
    expect(document.activeElement).toBe(first)
  })

  it('groups a provider\u2019s pixel sizes under their shapes, 1792 × 1024 under 16:9', async () => {
    await renderWith(openai)
    expect(radios().map((r) => r.value)).toEqual(['2:3', '1:1', '3:2', '16:9'])
    fireEvent.click(screen.getByRole('radio', { name: '16:9' }))
    expect(resolutions().getAllByRole('checkbox').map((b) => b.getAttribute('aria-label'))).toEqual(['1792 × 1024'])
    // Priced by its longest side: 1792 px is in the 2K tier.
    expect(resolutions().getByText('2K')).toBeTruthy()
    expect(resolutions().getByText('$0.50 / image')).toBeTruthy()
  })

  it('picks a channel preset\u2019s nearest size, says what export does, and closes with Escape back to its button', async () => {
    const api = await renderWith(getimg)
    const toggle = screen.getByRole('button', { name: 'Presets & custom' })
    fireEvent.click(toggle)
    const dialog = await screen.findByRole('dialog', { name: 'More sizes' })
    const webShop = within(dialog).getByRole('button', { name: 'Web shop 2000 × 2000' })
    expect(document.getElementById(webShop.getAttribute('aria-describedby')!)!.textContent).toBe('made at 2048 × 2048, exported at 2000 × 2000 by scaling down')
    expect(webShop.textContent).toContain('$0.12')
    const banner = within(dialog).getByRole('button', { name: 'Banner 1920 × 600' })
    expect(document.getElementById(banner.getAttribute('aria-describedby')!)!.textContent).toContain('cropped to 1920 × 600 on export')

    fireEvent.click(webShop)
    expect(webShop.getAttribute('aria-pressed')).toBe('true')
    expect(isChosen('1:1@2K')).toBe(true)
    await waitFor(() => expect(api.callsTo('jobs.estimate').at(-1)).toMatchObject({ sizes: [{ aspect: '1:1', resolution: '1K' }, { aspect: '1:1', resolution: '2K' }] }))
    expect(within(dialog).getByText(/getimg.ai makes only the sizes it lists/)).toBeTruthy()
    expect(within(dialog).queryByRole('textbox', { name: 'Custom size' })).toBeNull()

    fireEvent.keyDown(webShop, { key: 'Escape' })
    expect(screen.queryByRole('dialog', { name: 'More sizes' })).toBeNull()
    expect(document.activeElement).toBe(toggle)
  })

  it('checks a custom size as it is typed and offers the nearest one that works', async () => {
    const api = await renderWith(openai)
    fireEvent.click(screen.getByRole('button', { name: 'Presets & custom' }))
    const field = await screen.findByRole('textbox', { name: 'Custom size' })

    fireEvent.change(field, { target: { value: '1000x777' } })
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Each side must be 256 to 3840 px, in multiples of 16.')).toBeTruthy()
    fireEvent.change(field, { target: { value: '4000 × 1000' } })
    expect(screen.getByText('Each side must be 256 to 3840 px, in multiples of 16.')).toBeTruthy()
    fireEvent.change(field, { target: { value: '3200x800' } })
    expect(screen.getByText('OpenAI makes shapes up to 3:1.')).toBeTruthy()
    fireEvent.change(field, { target: { value: '3840x3840' } })
    expect(screen.getByText(/14,745,600 pixels; OpenAI makes 655,360 to 8,294,400/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Use 2880 × 2880' }))
    expect(isChosen('2880x2880')).toBe(true)
    await waitFor(() => expect(api.callsTo('jobs.estimate').at(-1)).toMatchObject({ sizes: [{ width: 1024, height: 1024 }, { width: 2880, height: 2880 }] }))

    fireEvent.change(field, { target: { value: '1008x784' } })
    expect(field.getAttribute('aria-invalid')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Add size' }))
    expect(isChosen('1008x784')).toBe(true)
  })
})
