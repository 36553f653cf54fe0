import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { callBridge, loadedImageSize, openQueue, closeQueue, screenshot, sizeChoice, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// The mask painter end to end, in real Chromium: Edit on a gallery tile opens the painter on that
// image; strokes painted with the mouse at known places are saved as a PNG that is checked pixel
// by pixel; the edit goes to the local server that speaks OpenAI's edits API with that mask; and
// "Use as reference" adds an image by button and by dragging its tile.

const SOURCE_PROMPT = 'Amber perfume bottle on slate, studio light'
const EDIT_PROMPT = 'Replace the cap with a brushed gold one'
// Not square, so a mask of the wrong shape could not pass.
const WIDTH = 1536
const HEIGHT = 1024

/** A canvas's drawing size and an image's file size, as the page reports them. */
type Pixels = { width: number; height: number }
type Natural = { naturalWidth: number; naturalHeight: number }

let server: ProviderServer
let mode: BrowserMode
let page: Page
let maskPath = ''

const painter = (): Locator => page.getByRole('dialog', { name: 'Mask' })
const chosen = (): Locator => page.getByRole('list', { name: 'Chosen reference images' })
const gallery = (): Locator => page.getByRole('region', { name: 'Gallery' })
const tile = (prompt: string): Locator => gallery().getByRole('gridcell').filter({ has: page.getByRole('img', { name: prompt, exact: true }) })

/** Presses the mouse along these points of the reference (its own pixels), as a user drags a brush. */
async function paint(points: [number, number][]): Promise<void> {
  const box = (await painter().locator('canvas').boundingBox())!
  const screen = ([x, y]: [number, number]) => [box.x + (x * box.width) / WIDTH, box.y + (y * box.height) / HEIGHT] as const
  const [first, ...rest] = points.map(screen)
  await page.mouse.move(first![0], first![1])
  await page.mouse.down()
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 12 })
  await page.mouse.up()
}

/**
 * A pen stroke with pressure, as a tablet reports it: pointer events of type "pen" (playwright's
 * mouse has no pressure), sent to the painter's drawing surface at points of the reference.
 */
async function penStroke(from: [number, number, number], to: [number, number, number]): Promise<void> {
  const box = (await painter().locator('canvas').boundingBox())!
  const steps = 20
  const events = Array.from({ length: steps + 1 }, (_, i) => {
    const t = i / steps
    const at = (k: 0 | 1 | 2) => from[k] + t * (to[k] - from[k])
    return {
      type: i === 0 ? 'pointerdown' : 'pointermove',
      clientX: box.x + (at(0) * box.width) / WIDTH,
      clientY: box.y + (at(1) * box.height) / HEIGHT,
      pressure: at(2),
    }
  })
  events.push({ ...events[steps]!, type: 'pointerup', pressure: 0 })
  await painter()
    .locator('.mask-stage')
    .evaluate((stage, list) => {
      // The page's PointerEvent (this file is typed for Node, without the DOM's names).
      const Pointer = (globalThis as unknown as { PointerEvent: new (type: string, init: object) => Event }).PointerEvent
      for (const e of list) {
        const init = { bubbles: true, pointerId: 7, pointerType: 'pen', isPrimary: true, button: e.type === 'pointermove' ? -1 : 0, buttons: e.type === 'pointerup' ? 0 : 1 }
        stage.dispatchEvent(new Pointer(e.type, { ...init, clientX: e.clientX, clientY: e.clientY, pressure: e.pressure }))
      }
    }, events)
}

async function setBrushSize(px: number): Promise<void> {
  await painter().getByRole('slider', { name: 'Brush size' }).fill(String(px))
  await waitForText(painter().locator('output'), `${px} px`)
}

/** The alpha of one pixel of a PNG. */
async function alphaAt(png: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return data[(y * info.width + x) * info.channels + 3]!
}

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode({ viewport: { width: 1440, height: 900 } })
  page = mode.page
  await page.goto(mode.appUrl)
  expect((await callBridge(page, 'providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })).ok).toBe(true)
  expect((await callBridge(page, 'keys.add', { provider: 'openai', label: 'studio', secret: server.validKey('openai') })).ok).toBe(true)
  const made = await callBridge(page, 'jobs.generate', { provider: 'demo', prompt: SOURCE_PROMPT, sizes: [{ width: WIDTH, height: HEIGHT }] })
  expect(made.ok).toBe(true)
  await page.reload()
  await loadedImageSize(page, SOURCE_PROMPT)
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
})

describe('mask painter', () => {
  it('Edit on a tile makes the image the reference and opens the painter on it', async () => {
    // ToAPIs takes references only as links and no mask: Edit moves to a provider that does, and says so.
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('toapis')
    await tile(SOURCE_PROMPT).hover()
    await tile(SOURCE_PROMPT).getByRole('button', { name: 'Edit' }).click()
    await painter().waitFor()
    expect(await page.getByRole('combobox', { name: 'Provider' }).inputValue()).toBe('openai')
    await waitForText(page.locator('body'), /Switched to OpenAI/)
    expect(await painter().locator('canvas').evaluate((c) => [(c as unknown as Pixels).width, (c as unknown as Pixels).height])).toEqual([WIDTH, HEIGHT])
    await waitForText(painter().getByRole('status'), `Nothing painted yet · ${WIDTH}×${HEIGHT} px`)
    // The painter shows the library file itself, not the gallery's thumbnail.
    const shown = painter().getByRole('img', { name: SOURCE_PROMPT })
    await expect.poll(() => shown.evaluate((img) => [(img as unknown as Natural).naturalWidth, (img as unknown as Natural).naturalHeight])).toEqual([WIDTH, HEIGHT])
  })

  it('paints, erases, undoes and redoes, and saves a mask of exactly the reference size', async () => {
    // Nothing painted, nothing to save.
    expect(await painter().getByRole('button', { name: 'Save mask' }).isDisabled()).toBe(true)
    await setBrushSize(100)
    await paint([
      [200, 300],
      [700, 300],
    ])
    // A pen that presses harder as it goes: the stroke widens from a fifth of the size to all of it.
    await penStroke([900, 150, 0.2], [1400, 150, 1])
    await paint([
      [1100, 700],
      [1300, 850],
    ])
    // The second stroke is undone; redo brings it back, and a second undo removes it for good.
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => painter().getByRole('button', { name: 'Redo' }).isDisabled()).toBe(true)
    await painter().getByRole('button', { name: 'Undo' }).click()
    expect(await painter().getByRole('button', { name: 'Redo' }).isEnabled()).toBe(true)

    // The eraser takes a hole out of the middle of the first stroke.
    await page.keyboard.press('e')
    expect(await painter().getByRole('button', { name: 'Eraser' }).getAttribute('aria-pressed')).toBe('true')
    await setBrushSize(60)
    await paint([[450, 300]])
    await page.keyboard.press('b')
    // [ and ] change the size in steps.
    await page.keyboard.press(']')
    await waitForText(painter().locator('output'), '75 px')
    await waitForText(painter().getByRole('status'), /% of the image will be repainted/)
    // A mouse click (no focus ring) takes focus off the slider for the picture.
    await painter().getByRole('button', { name: 'Brush' }).click()
    const canvas = (await painter().locator('canvas').boundingBox())!
    await page.mouse.move(canvas.x + canvas.width * 0.55, canvas.y + canvas.height * 0.62)
    await screenshot(page, 'mask-painter.png')

    // Escape with strokes on the canvas asks first instead of throwing them away.
    await page.keyboard.press('Escape')
    await painter().getByRole('alert').filter({ hasText: 'Close without saving?' }).waitFor()
    await painter().getByRole('button', { name: 'Keep painting' }).click()

    await painter().getByRole('button', { name: 'Save mask' }).click()
    await painter().waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Remove the mask' }).waitFor()
    expect(await page.getByRole('button', { name: 'Repaint mask…' }).count()).toBe(1)

    // The stored mask: the PNG in the library's refs folder with an alpha channel.
    const refs = join(mode.home, 'refs')
    const masks: string[] = []
    for (const name of await readdir(refs)) {
      const meta = await sharp(join(refs, name)).metadata()
      if (meta.hasAlpha) masks.push(join(refs, name))
    }
    expect(masks).toHaveLength(1)
    maskPath = masks[0]!
    const png = await readFile(maskPath)
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: WIDTH, height: HEIGHT })
    // Under the stroke's centre line: transparent (the provider repaints there).
    for (const [x, y] of [
      [205, 300],
      [300, 300],
      [600, 300],
      [695, 300],
      [300, 340],
      // The pen stroke: thin where it was light, wide where it was firm.
      [905, 150],
      [905, 158],
      [1395, 150],
      [1395, 190],
    ] as const) {
      expect(await alphaAt(png, x, y), `pixel ${x},${y}`).toBe(0)
    }
    // The erased hole, the undone stroke, the stroke's outside and the far corners: opaque (kept).
    for (const [x, y] of [
      [450, 300],
      [1200, 775],
      [300, 365],
      [300, 235],
      [905, 170],
      [905, 130],
      [1395, 205],
      [100, 300],
      [800, 300],
      [0, 0],
      [WIDTH - 1, HEIGHT - 1],
    ] as const) {
      expect(await alphaAt(png, x, y), `pixel ${x},${y}`).toBe(255)
    }
    // Nothing half-transparent: only alpha 0 tells OpenAI where to edit.
    const { data } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true })
    expect(data.every((a) => a === 0 || a === 255)).toBe(true)
  })

  it('reopens the painter with the saved mask and keeps it when closed without changes', async () => {
    await page.getByRole('button', { name: 'Repaint mask…' }).click()
    await waitForText(painter().getByRole('status'), /% of the image will be repainted/)
    // The wheel zooms in around the pointer; Fit and 100% jump back.
    const zoomText = () => painter().locator('.mask-zoom-value').innerText()
    const fitted = await zoomText()
    const box = (await painter().locator('canvas').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -300)
    await expect.poll(async () => parseInt(await zoomText(), 10)).toBeGreaterThan(parseInt(fitted, 10))
    await painter().getByRole('button', { name: 'Zoom to 100%' }).click()
    await waitForText(painter().locator('.mask-zoom-value'), '100%')
    await painter().getByRole('button', { name: 'Zoom to fit' }).click()
    await waitForText(painter().locator('.mask-zoom-value'), fitted)
    await painter().getByRole('button', { name: 'Cancel' }).click()
    await painter().waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Remove the mask' }).waitFor()
  })

  it('sends the painted mask with the edit to OpenAI, the size of the first image', async () => {
    await page.getByRole('textbox', { name: 'Prompt' }).fill(EDIT_PROMPT)
    const size = sizeChoice(page, '1024x1024')
    if (!(await size.isChecked())) await size.check()
    const generate = page.getByRole('button', { name: 'Generate' })
    await expect.poll(() => generate.isEnabled()).toBe(true)
    await generate.click()
    const row = (await openQueue(page)).getByRole('listitem').filter({ hasText: EDIT_PROMPT })
    await waitForText(row, 'Succeeded')
    await closeQueue(page)

    const [edit] = server.requestsTo('openai', 'edits')
    expect(edit?.status).toBe(200)
    const body = edit!.body
    const files = body.kind === 'multipart' ? body.files : []
    const mask = files.find((f) => f.field === 'mask')
    // The server checks a mask against the first image's size and refuses a mismatch (400).
    expect(mask).toMatchObject({ type: 'image/png', size: (await readFile(maskPath)).length })
    expect(files.filter((f) => f.field !== 'mask')).toHaveLength(1)
  })

  it('shows the job\'s reference with its mask in the detail view', async () => {
    await loadedImageSize(page, EDIT_PROMPT)
    await tile(EDIT_PROMPT).dblclick()
    const detail = page.getByRole('dialog', { name: 'Image details' })
    await detail.getByRole('heading', { name: 'Edited area' }).waitFor()
    await detail.getByRole('img', { name: 'The reference image this was edited from' }).waitFor()
    await waitForText(detail, /with a mask/)
    expect(await detail.locator('.job-mask canvas').evaluate((c) => (c as unknown as Pixels).width > 0)).toBe(true)

    // Edit from the detail view: the dialog gives way to the painter, on this image.
    await detail.getByRole('button', { name: 'Edit' }).click()
    await painter().waitFor()
    expect(await detail.count()).toBe(0)
    expect(await painter().locator('canvas').getAttribute('width')).toBe('1024')
    await painter().getByRole('button', { name: 'Cancel' }).click()
    await painter().waitFor({ state: 'detached' })
    expect(await chosen().getByRole('listitem').count()).toBe(1)
  })

  it('Use as reference adds an image, by its button and by dragging its tile onto the references', async () => {
    const before = await chosen().getByRole('listitem').count()
    await tile(SOURCE_PROMPT).hover()
    await tile(SOURCE_PROMPT).getByRole('button', { name: 'Use as reference' }).click()
    await expect.poll(() => chosen().getByRole('listitem').count()).toBe(before + 1)
    await waitForText(chosen().getByRole('listitem').last(), `${WIDTH}×${HEIGHT} · PNG`)

    await tile(EDIT_PROMPT).locator('a.tile-image').dragTo(page.getByTestId('reference-drop-zone'))
    await expect.poll(() => chosen().getByRole('listitem').count()).toBe(before + 2)
    await waitForText(chosen().getByRole('listitem').last(), EDIT_PROMPT)
  })
})
