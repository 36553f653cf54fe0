import { describe, expect, it } from 'vitest'
import type { ImageDetail } from '../../src/shared/api'
import { differingFacts, factsOf, promptDifferences } from '../../src/renderer/src/gallery/compare/compare-facts'
import { image } from './fake-api'

const words = { providerName: (id: string) => (id === 'demo' ? 'Demo (offline, free)' : id), money: (n: number) => `$${n.toFixed(2)}` }

function detail(id: string, over: { width?: number; quality?: 'low' | 'high'; charged?: number | null; estimated?: number | null; n?: number } = {}): ImageDetail {
  const img = image({ id, width: over.width ?? 1024, height: 1024 })
  return {
    image: img,
    path: `/lib/${img.file}`,
    job: {
      id: `job_${id}`,
      batchId: null,
      size: { width: img.width, height: img.height },
      estimatedCost: over.estimated === undefined ? 0.04 : over.estimated,
      chargedCost: over.charged === undefined ? 0.04 : over.charged,
      currency: 'USD',
      references: 0,
      masked: false,
      baseUrl: null,
    },
    settings: {
      provider: 'demo',
      prompt: img.prompt,
      size: `${img.width}x${img.height}`,
      format: 'png',
      quality: over.quality ?? 'high',
      background: null,
      compression: null,
      n: over.n ?? 1,
      keyId: null,
    },
  }
}

const valueOf = (facts: ReturnType<typeof factsOf>, key: string): string | undefined => facts.find((f) => f.key === key)?.value

describe('compare facts', () => {
  it('lists provider, size, quality, format, background, n, key and cost as text', () => {
    const facts = factsOf(detail('a'), words)
    expect(facts.map((f) => f.label)).toEqual(['Provider', 'Size', 'Quality', 'Format', 'Background', 'Images per request', 'Key', 'Cost'])
    expect(valueOf(facts, 'provider')).toBe('Demo (offline, free)')
    expect(valueOf(facts, 'size')).toBe('1024 × 1024')
    expect(valueOf(facts, 'background')).toBe('provider default')
    expect(valueOf(facts, 'key')).toBe('none')
    expect(valueOf(facts, 'cost')).toBe('$0.04')
  })

  it('says when a cost is only estimated or unknown, and that a job of several images shares it', () => {
    expect(valueOf(factsOf(detail('a', { charged: null }), words), 'cost')).toBe('est. $0.04')
    expect(valueOf(factsOf(detail('a', { charged: null, estimated: null }), words), 'cost')).toBe('no price set')
    expect(factsOf(detail('a', { n: 3 }), words).find((f) => f.key === 'cost')?.label).toBe('Cost (job of 3)')
  })

  it('marks exactly the rows whose values are not all the same', () => {
    const a = factsOf(detail('a'), words)
    const b = factsOf(detail('b', { width: 1536 }), words)
    const c = factsOf(detail('c', { quality: 'low' }), words)
    expect([...differingFacts([a, b])]).toEqual(['size'])
    expect([...differingFacts([a, b, c])].sort()).toEqual(['quality', 'size'])
    expect(differingFacts([a, factsOf(detail('d'), words)]).size).toBe(0)
    expect(differingFacts([a]).size).toBe(0)
  })
})

describe('prompt differences', () => {
  const marked = (parts: { text: string; differs: boolean }[]): string[] => parts.filter((p) => p.differs).map((p) => p.text)

  it('marks the words some other prompt lacks, ignoring case, punctuation and order', () => {
    const [oak, marble, third] = promptDifferences(['Tote bag, flat lay on oak', 'tote bag flat lay on Marble.', 'On oak, flat lay: tote bag'])
    expect(marked(oak!)).toEqual(['oak'])
    expect(marked(marble!)).toEqual(['Marble.'])
    expect(marked(third!)).toEqual(['oak,'])
  })

  it('keeps the prompt whole, spaces and line breaks included', () => {
    const [parts] = promptDifferences(['Red  sneaker\nwhite ground', 'Blue sneaker'])
    expect(parts!.map((p) => p.text).join('')).toBe('Red  sneaker\nwhite ground')
    expect(marked(parts!)).toEqual(['Red', 'white', 'ground'])
  })

  it('marks nothing when the prompts are the same or there is only one', () => {
    expect(promptDifferences(['Same words', 'same words']).flat().some((p) => p.differs)).toBe(false)
    expect(promptDifferences(['Alone here']).flat().some((p) => p.differs)).toBe(false)
  })
})
