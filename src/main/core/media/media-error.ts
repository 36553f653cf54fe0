/**
 * Why an image was refused or could not be stored. The media layer knows nothing about doors, so
 * it throws this and the caller maps it: bytes from a user (a reference image) are bad input,
 * bytes from a provider make the job fail. Callers must not parse `message`; switch on `code`.
 */
export type MediaErrorCode =
  | 'not_an_image' // empty, garbage, or an image the decoder cannot read
  | 'unsupported_format' // a real image, but not PNG, JPEG or WebP (GIF, AVIF, ...)
  | 'truncated' // the file stops before the image does (a cut-off download)
  | 'too_large' // over the byte or pixel limit the caller set
  | 'format_mismatch' // the bytes are a different format from the one requested
  | 'io' // the disk refused (permissions, full disk)

export class MediaError extends Error {
  override readonly name = 'MediaError'
  readonly code: MediaErrorCode

  constructor(code: MediaErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
