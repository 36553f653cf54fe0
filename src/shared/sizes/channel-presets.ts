import type { PixelSize } from './pixel-size-rules'

/**
 * The sizes a product studio delivers to, by channel. A preset is a target in pixels: which size a
 * provider makes for it is channel-size.ts's answer, and export brings that image to the target.
 */
export interface ChannelPreset extends PixelSize {
  id: string
  name: string
}

export const CHANNEL_PRESETS: readonly ChannelPreset[] = [
  { id: 'web-shop', name: 'Web shop', width: 2000, height: 2000 },
  { id: 'instagram-portrait', name: 'Instagram portrait', width: 1080, height: 1350 },
  { id: 'instagram-square', name: 'Instagram square', width: 1080, height: 1080 },
  { id: 'story', name: 'Story', width: 1080, height: 1920 },
  { id: 'pinterest-pin', name: 'Pinterest pin', width: 1000, height: 1500 },
  { id: 'marketplace-4-3', name: 'Marketplace 4:3', width: 1600, height: 1200 },
  { id: 'link-preview', name: 'Link preview', width: 1200, height: 630 },
  { id: 'video-thumbnail', name: 'Video thumbnail', width: 1280, height: 720 },
  { id: 'hero-banner', name: 'Website hero', width: 2560, height: 1440 },
  { id: 'banner', name: 'Banner', width: 1920, height: 600 },
  { id: 'print-a4', name: 'Print A4 300 dpi', width: 2480, height: 3508 },
]
