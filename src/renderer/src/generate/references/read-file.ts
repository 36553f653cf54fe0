/**
 * Turns a picked, dropped or pasted file into what `refs.import` takes. The sandboxed page
 * cannot hand the engine a path, so the bytes travel as base64; FileReader keeps the work off
 * the main thread's JavaScript and copes with files of tens of megabytes.
 */
export interface ReferenceFileReader {
  base64(file: Blob): Promise<string>
  /** A URL the page can show the file with, released with `release` when it is removed. */
  preview(file: Blob): string
  release(url: string): void
}

export const browserFileReader: ReferenceFileReader = {
  base64: (file) =>
    new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
      reader.onload = () => {
        const url = String(reader.result)
        resolve(url.slice(url.indexOf(',') + 1))
      }
      reader.readAsDataURL(file)
    }),
  preview: (file) => URL.createObjectURL(file),
  release: (url) => URL.revokeObjectURL(url),
}
