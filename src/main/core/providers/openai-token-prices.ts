import type { TokenPrices } from './profile'

/**
 * OpenAI's token prices for its GPT image models, in USD per 1M tokens, by model id as the profiles
 * name them. OpenAI bills these models by tokens (the per-image figures it also lists are averages),
 * so the charged amount of a call is computed from the reply's `usage` with these numbers.
 */
export const OPENAI_TOKEN_PRICES: Readonly<Record<'gpt-image-1' | 'gpt-image-1-mini' | 'gpt-image-2', TokenPrices>> = {
  'gpt-image-1': {
    model: 'gpt-image-1',
    textInputPerMillion: 5,
    imageInputPerMillion: 10,
    imageOutputPerMillion: 40,
    source: 'OpenAI model page gpt-image-1, https://developers.openai.com/ja-JP/api/docs/models/gpt-image-1 (read 2026-12-07)',
  },
  'gpt-image-1-mini': {
    model: 'gpt-image-1-mini',
    textInputPerMillion: 2,
    imageInputPerMillion: 2.5,
    imageOutputPerMillion: 8,
    source: 'OpenAI model page gpt-image-1-mini, https://developers.openai.com/de-DE/api/docs/models/gpt-image-1-mini (read 2026-12-07)',
  },
  // No OpenAI page for gpt-image-2 was found; these are OpenAI's figures as a router restates them
  // from OpenAI's model and pricing pages (two other listings agree).
  'gpt-image-2': {
    model: 'gpt-image-2',
    textInputPerMillion: 5,
    imageInputPerMillion: 8,
    imageOutputPerMillion: 30,
    source: "OpenAI's gpt-image-2 token prices as restated at https://xairouter.com/en/models/gpt-image-2/ from OpenAI's pricing page (read 2026-12-07)",
  },
}
