import { z } from 'zod'
import { NoInput, route } from './route'

export const Dialect = z.enum(['demo', 'openai-sync', 'async-task', 'getimg-v2'])
export type Dialect = z.infer<typeof Dialect>

/** What the interface and the CLI may know about a profile: capabilities and prices, no secrets. */
export const ProviderSummary = z.object({
  id: z.string(),
  name: z.string(),
  dialect: Dialect,
  baseUrl: z.string(),
  needsKey: z.boolean(),
  /** False while Proofsheet lists the profile but cannot generate with it yet. */
  available: z.boolean(),
  sizeMode: z.enum(['pixels', 'aspect']),
  sizes: z.array(z.string()),
  formats: z.array(z.string()),
  maxImagesPerCall: z.number().int(),
  currency: z.string(),
  prices: z.array(z.object({ tier: z.string(), price: z.number() })),
  priceSource: z.string(),
  typicalLatencyMs: z.number().int(),
})
export type ProviderSummary = z.infer<typeof ProviderSummary>

export const providerRoutes = {
  'providers.list': route(NoInput, z.object({ providers: z.array(ProviderSummary) })),
} as const
