/**
 * Saves text as a file the way any page can: a download through an anchor, so it works the same
 * in Electron and in browser mode and needs no route of its own.
 */
export function downloadTextFile(fileName: string, text: string, type = 'application/json'): void {
  const anchor = document.createElement('a')
  anchor.href = `data:${type};charset=utf-8,${encodeURIComponent(text)}`
  anchor.download = fileName
  anchor.hidden = true
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
}
