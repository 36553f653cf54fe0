import type { MouseEvent, ReactNode } from 'react'
import type { ImageView } from '../../../../shared/api'
import { useStores } from '../../app/stores-context'
import { caretToEnd } from '../PromptField'
import type { GenerateStore } from '../generate-store'

/** "16:9 image" is not known here: the tile's pixel size names the job's size well enough. */
const sizeOf = (image: ImageView): string => `${image.width} × ${image.height}`

/**
 * Rerun and Vary on an image: what they do is in their titles. Rerun repeats this image's job
 * (its size and count), not its whole generation: a tile is one image, and the group header is
 * where a whole generation is acted on. Vary loads the same settings at this size into the prompt
 * bar and puts the caret at the end of the prompt, so a tweak and Ctrl+Enter make a variant.
 */
export function useRerunVary(image: ImageView): { rerun(): Promise<string | null>; vary(): Promise<void> } {
  const stores = useStores()
  return {
    async rerun() {
      const error = await stores.generate.getState().rerun(image.jobId)
      return error ? error.message : null
    },
    vary: () => varyImage(stores.generate, image.id),
  }
}

/** Vary from anywhere (a tile, the grid's V key, the detail view): load, then the caret to the prompt's end. */
export async function varyImage(generate: GenerateStore, imageId: string): Promise<void> {
  if (await generate.getState().loadImageSettings(imageId, 'image')) {
    // After any dialog has gone: while one is open the rest of the page cannot take focus.
    setTimeout(() => caretToEnd(document.getElementById('prompt') as HTMLTextAreaElement | null), 0)
  }
}

export const rerunTitle = (image: ImageView): string => `Rerun: the same settings again at ${sizeOf(image)}, queued at once`
export const varyTitle = (image: ImageView): string => `Vary: load these settings at ${sizeOf(image)} into the prompt bar to change the prompt`

/** The two tile buttons (mouse only, like the tile's others: the grid's keys do the same). */
export function RerunVaryButtons({ image }: { image: ImageView }): ReactNode {
  const { rerun, vary } = useRerunVary(image)
  const act = (action: () => Promise<unknown>) => (event: MouseEvent): void => {
    event.stopPropagation()
    void action()
  }
  return (
    <>
      <button type="button" className="tile-button" tabIndex={-1} aria-label="Rerun" title={`${rerunTitle(image)} (R)`} onClick={act(rerun)}>
        ↻
      </button>
      <button type="button" className="tile-button" tabIndex={-1} aria-label="Vary" title={`${varyTitle(image)} (V)`} onClick={act(vary)}>
        ≈
      </button>
    </>
  )
}
