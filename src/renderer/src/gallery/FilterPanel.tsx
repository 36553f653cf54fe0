import type { ReactNode } from 'react'
import type { GalleryFacets } from '../../../shared/api'
import { pluralWord } from '../../../shared/format/plural'
import { hasFilters, type FilterPanelState } from './gallery-store'
import { useGallery, useProviders, useStores } from '../app/stores-context'
import { SelectField } from '../ui/SelectField'

type Choice = { value: string; label: string }

interface FilterSelectProps {
  id: string
  label: string
  field: 'provider' | 'keyLabel' | 'size' | 'batchId' | 'tag'
  anyLabel: string
  choices: Choice[]
}

/** One "any or one of these" filter. A chosen value with no images left stays listed, so it can be seen and undone. */
function FilterSelect({ id, label, field, anyLabel, choices }: FilterSelectProps): ReactNode {
  const stores = useStores()
  const value = useGallery((s) => s.filters[field])
  const listed = value && !choices.some((c) => c.value === value) ? [...choices, { value, label: `${value} (0)` }] : choices
  return (
    <SelectField
      className="gallery-filter"
      id={id}
      label={label}
      ariaLabel={`Filter by ${label.toLowerCase()}`}
      value={value}
      empty={anyLabel}
      choices={listed}
      disabled={listed.length === 0}
      onChange={(v) => stores.gallery.getState().setFilters({ [field]: v } as Partial<FilterPanelState>)}
    />
  )
}

const counted = (items: { value: string; count: number }[], name: (value: string) => string = (v) => v): Choice[] =>
  items.map((i) => ({ value: i.value, label: `${name(i.value)} (${i.count.toLocaleString('en-US')})` }))

/**
 * One entry per batch, never merged: name, day and time, and image count. Batches that still read
 * alike (the same prompt pressed twice in a minute) are numbered, oldest first.
 */
export function batchChoices(batches: GalleryFacets['batches']): Choice[] {
  const labels = batches.map((b) => {
    const when = new Date(b.createdAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    const name = b.name && b.name.length > 48 ? `${b.name.slice(0, 47)}…` : (b.name ?? 'Batch')
    return `${name} · ${when} · ${b.count.toLocaleString('en-US')} ${pluralWord(b.count, 'image')}`
  })
  const total = new Map<string, number>()
  for (const label of labels) total.set(label, (total.get(label) ?? 0) + 1)
  const seen = new Map<string, number>()
  // Facets list newest first: number from the oldest, so a batch keeps its number as new ones come.
  const numbered = labels.map((label, i) => ({ label, i })).reverse().map(({ label, i }) => {
    const n = (seen.get(label) ?? 0) + 1
    seen.set(label, n)
    return { i, label: (total.get(label) ?? 1) > 1 ? `${label} (#${n})` : label }
  })
  return numbered.sort((a, b) => a.i - b.i).map(({ i, label }) => ({ value: batches[i]!.id, label }))
}

function DateFilter({ field, label }: { field: 'from' | 'to'; label: string }): ReactNode {
  const stores = useStores()
  const value = useGallery((s) => s.filters[field])
  const other = useGallery((s) => s.filters[field === 'from' ? 'to' : 'from'])
  const id = `gallery-${field}`
  return (
    <div className="gallery-filter">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        aria-label={`${label} date`}
        value={value}
        {...(field === 'from' && other ? { max: other } : {})}
        {...(field === 'to' && other ? { min: other } : {})}
        onChange={(event) => stores.gallery.getState().setFilters({ [field]: event.target.value })}
      />
    </div>
  )
}

/**
 * The filters (folded under the toolbar's "Filters"): provider, key, pixel size, batch, tag, date range and favourites, each listing
 * only values that have images (with how many). Every filter is answered from an index by the
 * engine, so narrowing a 100,000-image gallery is as quick as an empty one.
 */
export function FilterPanel({ id }: { id?: string }): ReactNode {
  const stores = useStores()
  const facets = useGallery((s) => s.facets)
  const providers = useProviders((s) => s.providers)
  // Images keep the profile id they were made with; people know profiles by name.
  const providerName = (value: string): string => providers.find((p) => p.id === value)?.name ?? value
  const favorite = useGallery((s) => s.filters.favorite)
  const filtered = useGallery((s) => hasFilters(s.filters))

  return (
    <div className="gallery-filters" role="group" aria-label="Filters" id={id}>
      <div className="gallery-filter-row">
        {/* "Source", not "Provider": the Generate form's combobox owns that name (docs/design.md). */}
        <FilterSelect id="gallery-provider" label="Source" field="provider" anyLabel="Any source" choices={counted(facets?.providers ?? [], providerName)} />
        <FilterSelect id="gallery-key" label="Key" field="keyLabel" anyLabel="Any key" choices={counted(facets?.keyLabels ?? [])} />
        <FilterSelect id="gallery-size" label="Size" field="size" anyLabel="Any size" choices={counted(facets?.sizes ?? [])} />
        <FilterSelect id="gallery-batch" label="Batch" field="batchId" anyLabel="Any batch" choices={batchChoices(facets?.batches ?? [])} />
        <FilterSelect id="gallery-tag" label="Tag" field="tag" anyLabel="Any tag" choices={counted(facets?.tags ?? [])} />
      </div>
      <div className="gallery-filter-row">
        <DateFilter field="from" label="From" />
        <DateFilter field="to" label="To" />
        <label className="gallery-favorites">
          <input
            type="checkbox"
            checked={favorite}
            onChange={(event) => stores.gallery.getState().setFilters({ favorite: event.target.checked })}
          />
          Favorites only
        </label>
        <button type="button" className="button-quiet" disabled={!filtered} onClick={() => stores.gallery.getState().clearFilters()}>
          Clear filters
        </button>
      </div>
    </div>
  )
}
