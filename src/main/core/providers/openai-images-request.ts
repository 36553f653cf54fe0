import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ReferenceImage } from '../../../shared/api'
import { probeImage } from '../media/image-probe'
import type { DialectCall } from './dialect'
import { ProviderError } from './provider-error'
import type { HttpRequest } from './http/provider-http'
import type { ProviderProfile } from './profile'

/**
 * The request body of one OpenAI Images call, built from the job's params and the profile: JSON for
 * generations; for edits either OpenAI's multipart form (files) or its JSON form (links, with any
 * files beside them as data: URIs). Kept apart from sending so another way of reading the reply
 * (streaming) can send the same request with its own extra fields.
 */
export type ImagesRequest = Pick<HttpRequest, 'path' | 'json' | 'form'>

/** Extra fields a caller adds to the body as they are (e.g. `stream`). */
export type ExtraFields = Record<string, string | number | boolean>

/** OpenAI's ImageRefParam.image_url is at most 20,971,520 characters, a data URL included. */
export const OPENAI_IMAGE_URL_MAX_CHARS = 20_971_520

/**
 * The largest local file that fits in one image_url as a data URL in this profile's JSON edit form
 * (base64 takes 4 characters per 3 bytes, plus a short header); null where no limit is documented.
 */
export function jsonEditFileLimitBytes(profile: ProviderProfile): number | null {
  return profile.fields?.jsonEditImages === 'images' ? Math.floor((OPENAI_IMAGE_URL_MAX_CHARS - 64) / 4) * 3 : null
}

/** Whether an edit with these params goes in the JSON form (see useJsonEdit). */
export function sendsJsonEdit(profile: ProviderProfile, params: Pick<DialectCall['params'], 'refs' | 'moderation'>): boolean {
  if (params.refs.length === 0) return false
  return params.refs.some((ref) => ref.kind === 'link') || (params.moderation !== undefined && profile.options?.moderation === 'generations-and-json-edits')
}

export async function buildImagesRequest(call: DialectCall, extra: ExtraFields = {}): Promise<ImagesRequest> {
  const size = sizeField(call)
  if (call.params.refs.length === 0) {
    const json = { ...commonFields(call, size), ...generationOnlyFields(call), ...extra }
    return { path: 'images/generations', json }
  }
  return useJsonEdit(call) ? jsonEdit(call, size, extra) : multipartEdit(call, size, extra)
}

function sizeField(call: DialectCall): string {
  const size = call.size
  if ('auto' in size) return 'auto'
  if (!('width' in size)) {
    throw new ProviderError('input', `${call.profile.name} takes pixel sizes, not aspect ratios.`, { code: 'bad_size' })
  }
  return `${size.width}x${size.height}`
}

/** The fields generations and edits share, named the way this profile's provider names them. */
function commonFields(call: DialectCall, size: string): Record<string, string | number> {
  const p = call.params
  const fields: Record<string, string | number> = {
    model: call.profile.modelId,
    prompt: p.prompt,
    size,
    n: call.count,
    quality: p.quality,
    [call.profile.fields?.format ?? 'output_format']: p.format,
  }
  if (p.background !== undefined) fields.background = p.background
  if (p.compression !== undefined) fields.output_compression = p.compression
  // Only where the profile documents it (validation refuses the rest before queueing).
  if (p.user !== undefined && call.profile.options?.user) fields.user = p.user
  // No response_format: GPT image models always return base64 and OpenAI rejects the parameter.
  return fields
}

function generationOnlyFields(call: DialectCall): Record<string, string> {
  const p = call.params
  return p.moderation !== undefined && call.profile.options?.moderation ? { moderation: p.moderation } : {}
}

function editFields(call: DialectCall, size: string): Record<string, string | number> {
  const fields = commonFields(call, size)
  if (call.params.inputFidelity !== undefined && call.profile.options?.inputFidelity) fields.input_fidelity = call.params.inputFidelity
  return fields
}

/**
 * Links can only travel in the JSON form, so any link sends the whole edit as JSON. OpenAI's
 * multipart edit has no `moderation` field (its JSON form has), so an edit asking for one goes as
 * JSON too.
 */
function useJsonEdit(call: DialectCall): boolean {
  if (call.params.refs.some((ref) => ref.kind === 'link') && !call.profile.refs?.accepts.includes('url')) {
    throw new ProviderError('input', `${call.profile.name} takes reference images as files, not links.`, { code: 'ref_not_file' })
  }
  return sendsJsonEdit(call.profile, call.params)
}

async function jsonEdit(call: DialectCall, size: string, extra: ExtraFields): Promise<ImagesRequest> {
  const { refs, mask } = call.params
  const images = await Promise.all(refs.map((ref) => (ref.kind === 'link' ? ref.url : fileDataUri(call, ref.path, 'reference image'))))
  const maskUri = mask === undefined ? undefined : mask.kind === 'link' ? mask.url : await fileDataUri(call, mask.path, 'mask')
  const json: Record<string, unknown> = { ...editFields(call, size), ...generationOnlyFields(call) }
  if (call.profile.fields?.jsonEditImages === 'images') {
    // OpenAI: `images: [{image_url}]` and `mask: {image_url}` (EditImageBodyJsonParam).
    json.images = images.map((url) => ({ image_url: url }))
    if (maskUri !== undefined) json.mask = { image_url: maskUri }
  } else {
    // TokenHub: "image ... URL / base64 data URI in JSON", one string or a list; mask a string.
    json.image = images.length === 1 ? images[0] : images
    if (maskUri !== undefined) json.mask = maskUri
  }
  return { path: 'images/edits', json: { ...json, ...extra } }
}

async function multipartEdit(call: DialectCall, size: string, extra: ExtraFields): Promise<ImagesRequest> {
  const { refs, mask } = call.params
  const form = new FormData()
  for (const [name, value] of Object.entries({ ...editFields(call, size), ...extra })) form.append(name, String(value))
  const field = refs.length > 1 ? 'image[]' : 'image'
  for (const ref of refs) {
    const path = localPath(call, ref)
    const file = await readImageFile(path, 'reference image')
    form.append(field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), basename(path))
  }
  if (mask) {
    const path = localPath(call, mask)
    const file = await readImageFile(path, 'mask')
    form.append('mask', new Blob([new Uint8Array(file.bytes)], { type: file.type }), basename(path))
  }
  return { path: 'images/edits', form }
}

/** A multipart edit carries files only: any link sent the edit as JSON (useJsonEdit). */
function localPath(call: DialectCall, ref: ReferenceImage): string {
  if (ref.kind !== 'link') return ref.path
  throw new ProviderError('input', `${call.profile.name} cannot send a link in a multipart edit.`, { code: 'ref_not_file' })
}

async function fileDataUri(call: DialectCall, path: string, what: string): Promise<string> {
  const file = await readImageFile(path, what)
  const limit = jsonEditFileLimitBytes(call.profile)
  // Checked before queueing too (validate-options); repeated here for a file changed since.
  if (limit !== null && file.bytes.length > limit) {
    throw new ProviderError('input', `The ${what} ${basename(path)} is too large to send beside links (${call.profile.name} takes data URLs up to ${(limit / 2 ** 20).toFixed(0)} MB).`, {
      code: 'ref_too_large',
    })
  }
  return `data:${file.type};base64,${file.bytes.toString('base64')}`
}

async function readImageFile(path: string, what: string): Promise<{ bytes: Buffer; type: string }> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new ProviderError('input', `Cannot read the ${what} ${path}: ${(err as Error).message}`, { code: 'ref_unreadable' })
  }
  const { format } = probeImage(bytes)
  return { bytes, type: `image/${format}` }
}
