import { describe, expect, it } from 'vitest'
import { tokenCharge } from '../../../src/main/core/pricing/token-charge'
import { OPENAI_TOKEN_PRICES } from '../../../src/main/core/providers/openai-token-prices'
import { usageFromReply } from '../../../src/main/core/providers/openai-usage'

const GPT_IMAGE_2 = OPENAI_TOKEN_PRICES['gpt-image-2']

describe("OpenAI's usage on an Images reply", () => {
  it('reads ImageGenUsage, with or without the newer output_tokens_details', () => {
    const usage = {
      input_tokens: 50,
      input_tokens_details: { text_tokens: 10, image_tokens: 40 },
      output_tokens: 50,
      output_tokens_details: { image_tokens: 48, text_tokens: 2 },
      total_tokens: 100,
    }
    expect(usageFromReply({ created: 1, data: [], usage })).toEqual({ inputTokens: 50, inputTextTokens: 10, inputImageTokens: 40, outputTokens: 50, totalTokens: 100 })
    const { output_tokens_details: _, ...older } = usage
    expect(usageFromReply({ usage: older })).toEqual(usageFromReply({ usage }))
  })

  it('reads a part that is missing or not a count as null, and no usage as null', () => {
    expect(usageFromReply({ usage: { output_tokens: 1399, input_tokens: '9', total_tokens: -1 } })).toEqual({
      inputTokens: null,
      inputTextTokens: null,
      inputImageTokens: null,
      outputTokens: 1399,
      totalTokens: null,
    })
    expect(usageFromReply({ data: [] })).toBeNull()
    expect(usageFromReply({ usage: {} })).toBeNull()
    expect(usageFromReply(null)).toBeNull()
  })
})

describe('the charge of a call from its tokens', () => {
  it('prices text input, image input and image output at their own rates', () => {
    const usage = { inputTokens: 50, inputTextTokens: 10, inputImageTokens: 40, outputTokens: 1000, totalTokens: 1050 }
    expect(tokenCharge(GPT_IMAGE_2, usage)).toBe((10 * 5 + 40 * 8 + 1000 * 30) / 1e6)
    expect(tokenCharge(OPENAI_TOKEN_PRICES['gpt-image-1'], usage)).toBe((10 * 5 + 40 * 10 + 1000 * 40) / 1e6)
    expect(tokenCharge(OPENAI_TOKEN_PRICES['gpt-image-1-mini'], usage)).toBe((10 * 2 + 40 * 2.5 + 1000 * 8) / 1e6)
  })

  it('never understates: an unknown input split is charged at the image rate; no output count, no token charge', () => {
    expect(tokenCharge(GPT_IMAGE_2, { inputTokens: 100, inputTextTokens: null, inputImageTokens: null, outputTokens: 0, totalTokens: null })).toBe((100 * 8) / 1e6)
    expect(tokenCharge(GPT_IMAGE_2, { inputTokens: 100, inputTextTokens: 30, inputImageTokens: null, outputTokens: 0, totalTokens: null })).toBe((30 * 5 + 70 * 8) / 1e6)
    expect(tokenCharge(GPT_IMAGE_2, { inputTokens: 100, inputTextTokens: 30, inputImageTokens: 70, outputTokens: null, totalTokens: null })).toBeNull()
  })

  it('names where each price comes from and when it was read', () => {
    for (const prices of Object.values(OPENAI_TOKEN_PRICES)) expect(prices.source).toMatch(/https:\/\/\S+ .*read 2026-12-07/)
  })
})
