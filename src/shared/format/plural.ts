/**
 * Counted nouns in English, for every door's messages: "1 image", "3 images". The word alone comes
 * from pluralWord, for a count shown another way ("1,204 images") or a sentence built around it.
 */
export function pluralWord(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many
}

/** "1 template", "2 templates"; `many` for nouns that do not just add an s ("1 entry", "2 entries"). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${pluralWord(count, one, many)}`
}
