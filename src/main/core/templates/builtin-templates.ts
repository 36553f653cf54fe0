import type { TemplateFields } from '../../../shared/api'

/**
 * Starting points for product shots, written into a library once (see README.md). `product` has
 * no default on purpose: the user names the product; everything else has a sensible default.
 * A new built-in gets the next `edition`, so existing libraries receive it without getting back
 * the ones their users deleted.
 */
export interface BuiltinTemplate extends TemplateFields {
  /** The release of the built-in set that introduced this template. */
  edition: number
}

export const builtinTemplates: readonly BuiltinTemplate[] = [
  {
    edition: 1,
    name: 'White background packshot',
    body:
      'Studio packshot of {{product}}, centred on a seamless pure white background (#FFFFFF). ' +
      '{{angle}} view with the whole product in frame and even margins on every side. ' +
      'Soft, diffused studio lighting from large softboxes, a gentle contact shadow directly beneath the product, ' +
      'no harsh reflections or blown highlights. True-to-life colours and materials, crisp focus from front to back, {{finish}}. ' +
      'No props, no text, no watermark, no logos other than those printed on the product itself.',
    defaults: { angle: 'Three-quarter front', finish: 'clean e-commerce retouching' },
    notes:
      'For shop listings and marketplaces that require a plain white background. ' +
      'Square sizes work best; export at 2000x2000 for most web shops.',
  },
  {
    edition: 1,
    name: 'Lifestyle scene',
    body:
      '{{product}} in everyday use in {{setting}}, photographed as an editorial lifestyle image. ' +
      '{{light}}, shallow depth of field: the product is in sharp focus and the background falls off softly. ' +
      'A few well-chosen props that suit the scene without covering the product; realistic scale, materials and shadows. ' +
      'Colour palette: {{palette}}. Natural, unposed feel, shot on a full-frame camera with a 50mm lens. ' +
      'No text, no watermark.',
    defaults: {
      setting: 'a bright Scandinavian kitchen',
      light: 'Warm morning window light',
      palette: 'soft neutrals with one accent colour taken from the product',
    },
    notes: 'For product pages, newsletters and ads that show the product in context. Landscape sizes suit hero banners.',
  },
  {
    edition: 1,
    name: 'Social cover',
    body:
      'Bold social media cover image with {{product}} as the hero, placed {{placement}}, ' +
      'leaving generous clean space {{copy_space}} for a headline that will be added later. ' +
      'Background: {{background}}. Punchy high-contrast lighting, crisp edges, a clean graphic composition ' +
      'and vivid but accurate colours; a modern commercial look. ' +
      'Do not render any text, letters, numbers or logos in the image.',
    defaults: {
      placement: 'slightly right of centre',
      copy_space: 'on the left',
      background: 'a smooth gradient in the brand colour',
    },
    notes:
      'For post covers, stories and banners. The image keeps room for a headline: add the words in your layout tool, ' +
      'not in the prompt. Use a wide size (1536x1024) for covers or a tall one (1024x1536) for stories.',
  },
]
