/** A prompt's first line: what a tile or a generation's header shows; the whole prompt is its title. */
export function promptFirstLine(prompt: string): string {
  return prompt.split('\n', 1)[0] ?? ''
}
