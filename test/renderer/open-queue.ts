import { fireEvent, screen } from '@testing-library/react'

/** The queue lives in a drawer behind the header's "Queue" strip: opens it and returns its region. */
export function openQueue(): HTMLElement {
  const strip = screen.getByRole('button', { name: 'Queue' })
  if (strip.getAttribute('aria-expanded') !== 'true') fireEvent.click(strip)
  return screen.getByRole('region', { name: 'Queue' })
}
