/**
 * Copying from the gallery in a browser page: images go to the clipboard as PNG (the one image
 * type browsers accept and every program pastes), converted on a canvas when the file is JPEG or
 * WebP. The desktop app copies through its own door instead (see DesktopCapabilities).
 */

async function asPng(blob: Blob): Promise<Blob> {
  if (blob.type === 'image/png') return blob
  const bitmap = await createImageBitmap(blob)
  const canvas = document.createElement('canvas')
  canvas.width = bitmap.width
  canvas.height = bitmap.height
  const context = canvas.getContext('2d')
  if (!context) throw new Error('This browser cannot convert the image for the clipboard.')
  context.drawImage(bitmap, 0, 0)
  bitmap.close()
  return new Promise((resolve, reject) =>
    canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('The image could not be converted to PNG.'))), 'image/png'),
  )
}

export async function copyImageFromUrl(url: string): Promise<void> {
  if (!navigator.clipboard || typeof ClipboardItem === 'undefined') {
    throw new Error('This browser does not let pages put images on the clipboard.')
  }
  // The item is created at once with a promise of the bytes, so the click still counts as the
  // user's gesture when the fetch finishes.
  const png = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`The image could not be loaded (HTTP ${response.status}).`)
    return asPng(await response.blob())
  })
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })])
}

export async function copyText(text: string): Promise<void> {
  if (!navigator.clipboard) throw new Error('This browser does not let pages use the clipboard.')
  await navigator.clipboard.writeText(text)
}
