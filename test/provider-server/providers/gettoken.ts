/**
 * GetToken Stable Images (`https://api.gettoken.dev/image/v1`): an OpenAI Images-compatible
 * generations endpoint in front of gpt-image-2. Its page documents only /images/generations, so
 * /images/edits answers 404 here. Requests are validated as OpenAI would (the upstream) and the
 * reply is `{created, data: [{b64_json}]}`, billed per image at the page's per-size estimate.
 */
import { produceImages } from '../images'
import { billImages, tierFor, type LongSideTier } from '../pricing'
import {
  checkGptImage2,
  GPT_IMAGE_2_GENERATION_FIELDS,
  OPENAI_STYLE_REPLIES,
  RESELLER_FAULT_ERRORS,
  resellerUnauthorized,
} from './openai-style'
import { generationsRoute, payloadFaultOf, refuse, unixSeconds, type ProviderModule } from './provider'

/**
 * "Estimated per-image usage" by size tier. The page names tiers, not pixels; the boundaries are
 * the app's (and TokenHub's): longest side ≤ 1536 is 1K, ≤ 2048 is 2K, larger is 4K.
 */
export const GETTOKEN_PRICES: readonly LongSideTier[] = [
  { tier: '1K', usd: 0.804, maxLongSide: 1536 },
  { tier: '2K', usd: 1.206, maxLongSide: 2048 },
  { tier: '4K', usd: 1.608 },
]

export const gettoken: ProviderModule = {
  id: 'gettoken',
  basePath: '/gettoken/image/v1',
  keyPrefix: 'gt-img-test-',
  authHeaders: ['bearer'],
  ...OPENAI_STYLE_REPLIES,
  unauthorized: resellerUnauthorized,
  faultErrors: RESELLER_FAULT_ERRORS,
  routes: [
    generationsRoute(async (values) => {
      const checked = checkGptImage2(values, GPT_IMAGE_2_GENERATION_FIELDS)
      if (!checked.ok) return refuse(checked.error)
      const options = checked.value
      return {
        ok: true,
        async run({ state, seq, fault }) {
          const images = await produceImages({ ...options.size, format: options.format, alpha: options.alpha, count: options.n }, payloadFaultOf(fault))
          const tier = tierFor(options.size, GETTOKEN_PRICES)
          billImages(state.ledger, { provider: 'gettoken', seq, images: images.length, unitUsd: tier.usd, basis: `${tier.tier} per image` })
          const body = { created: unixSeconds(state.now()), data: images.map((image) => ({ b64_json: image.base64 })) }
          return { reply: { kind: 'json', status: 200, body } }
        },
      }
    }),
  ],
}
