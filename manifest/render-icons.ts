/**
 * Renders the app icons from their SVG sources (`tsx manifest/render-icons.ts`): `color.svg` to a
 * 192×192 `color.png` and `outline.svg` to a 32×32 `outline.png`, in headless Chromium with a
 * transparent page. The outline's anti-aliased edges are made pure white with partial alpha, the
 * only colour Teams accepts in an outline icon (it tints it). The PNGs are committed; run this
 * again after changing an SVG.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../test/support/browser';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** The icons Teams needs: source, output, size in pixels, and whether it is the outline. */
export const ICONS = [
  { svg: 'color.svg', png: 'color.png', size: 192, outline: false },
  { svg: 'outline.svg', png: 'outline.png', size: 32, outline: true },
] as const;

/** Every pixel with any opacity becomes white, keeping its alpha (anti-aliasing stays smooth). */
function whiteOnTransparent(png: Buffer): Buffer {
  const image = PNG.sync.read(png);
  for (let i = 0; i < image.data.length; i += 4) {
    const alpha = image.data[i + 3]!;
    image.data.fill(alpha === 0 ? 0 : 255, i, i + 3);
  }
  return PNG.sync.write(image);
}

/** Renders every icon into `outDir` (default: this folder) and returns the files written. */
export async function renderIcons(outDir = here('.')): Promise<string[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
  const written: string[] = [];
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({
        viewport: { width: icon.size, height: icon.size },
        deviceScaleFactor: 1,
      });
      const svg = await readFile(here(icon.svg), 'utf8');
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
      );
      const shot = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: icon.size, height: icon.size },
      });
      await page.close();
      const file = join(outDir, icon.png);
      await writeFile(file, icon.outline ? whiteOnTransparent(shot) : shot);
      written.push(file);
    }
  } finally {
    await browser.close();
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of await renderIcons()) console.log(`wrote ${file}`);
}
