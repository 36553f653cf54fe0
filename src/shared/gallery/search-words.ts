/**
 * The words of a gallery search: runs of letters and digits, everything else (quotes, operators,
 * punctuation) dropped. The engine makes each a prefix term of its full-text query; the gallery
 * checks a job's prompt against the same words to place its tile before the image lands, so a
 * search cannot show a placeholder whose image it will then leave out.
 */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}
