import type { ReactNode } from 'react'
import type { GalleryFacets } from '../../../shared/api'
import { hasFilters, type GalleryFilters as Filters } from './gallery-store'
import { useGallery, useStores } from '../app/stores-context'

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
    <div className="gallery-filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-label={`Filter by ${label.toLowerCase()}`}
        value={value}
        disabled={listed.length === 0}
        onChange={(event) => stores.gallery.getState().setFilters({ [field]: event.target.value } as Partial<Filters>)}
      >
        <option value="">{anyLabel}</option>
        {listed.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  )
}

const counted = (items: { value: string; count: number }[]): Choice[] =>
  items.map((i) => ({ value: i.value, label: `${i.value} (${i.count.toLocaleString('en-US')})` }))

function batchChoices(facets: GalleryFacets | null): Choice[] {
  return (facets?.batches ?? []).map((b) => {
    const when = new Date(b.createdAt).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    return { value: b.id, label: `${b.name ?? 'Batch'} · ${when} (${b.count})` }
  })
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
 * The filter bar: provider, key, pixel size, batch, tag, date range and favourites, each listing
 * only values that have images (with how many). Every filter is answered from an index by the
 * engine, so narrowing a 100,000-image gallery is as quick as an empty one.
 */
export function GalleryFilters(): ReactNode {
  const stores = useStores()
  const facets = useGallery((s) => s.facets)
  const favorite = useGallery((s) => s.filters.favorite)
  const filtered = useGallery((s) => hasFilters(s.filters))

  return (
    <div className="gallery-filters" role="group" aria-label="Filters">
      <div className="gallery-filter-row">
        {/* "Source", not "Provider": the Generate form's combobox owns that name (DESIGN.md). */}
        <FilterSelect id="gallery-provider" label="Source" field="provider" anyLabel="Any source" choices={counted(facets?.providers ?? [])} />
        <FilterSelect id="gallery-key" label="Key" field="keyLabel" anyLabel="Any key" choices={counted(facets?.keyLabels ?? [])} />
        <FilterSelect id="gallery-size" label="Size" field="size" anyLabel="Any size" choices={counted(facets?.sizes ?? [])} />
        <FilterSelect id="gallery-batch" label="Batch" field="batchId" anyLabel="Any batch" choices={batchChoices(facets)} />
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
