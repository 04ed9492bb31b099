/** The tab's bundle sizes (issue 7): what a browser downloads for first paint, and on demand. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTab } from '../../tab/build';

/** Builds the tab into a temporary folder and reports each file's size, minified and gzipped. */
export async function benchTabBundle(): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(join(tmpdir(), 'tab-bench-'));
  try {
    const sizes = await buildTab(dir);
    const figures: Record<string, string> = {};
    for (const [file, bytes] of Object.entries(sizes)) {
      const gzip = gzipSync(await readFile(join(dir, file))).length;
      figures[file.replace(/-[A-Z0-9]{8}\.js$/, '.js')] =
        `${(bytes / 1024).toFixed(1)} KB (${(gzip / 1024).toFixed(1)} KB gzipped)`;
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
