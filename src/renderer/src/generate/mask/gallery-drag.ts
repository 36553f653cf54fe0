/**
 * A gallery tile dragged onto the reference images names its image by id under this type (the
 * browser drags only the image's URL otherwise, which the sandboxed page cannot turn into a
 * stored reference). The engine copies the file itself (refs.fromImage).
 */
export const GALLERY_IMAGE_TYPE = 'application/x-proofsheet-image'
