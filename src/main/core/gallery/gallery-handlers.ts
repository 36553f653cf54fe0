import type { galleryRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import type { GalleryService } from './gallery-service'

/** The gallery's routes, each a thin call into the GalleryService. */
export function createGalleryHandlers(gallery: GalleryService): Pick<Handlers, keyof typeof galleryRoutes> {
  return {
    'gallery.list': (input) => gallery.list(input),
    'gallery.ids': (input) => ({ ids: gallery.ids(input) }),
    'gallery.facets': () => gallery.facets(),
    'gallery.get': (input) => gallery.get(input.id),
    'gallery.detail': (input) => gallery.detail(input.id),
    'gallery.favorite': (input) => gallery.favorite(input.id, input.favorite),
    'gallery.favoriteMany': (input) => ({ updated: gallery.favoriteMany(input.ids, input.favorite) }),
    'gallery.tag': (input) => gallery.tag(input.ids, input.add, input.remove),
    'gallery.trashInfo': () => gallery.trashInfo(),
    'gallery.delete': (input) => gallery.delete(input.ids),
  }
}
