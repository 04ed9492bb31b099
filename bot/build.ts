/**
 * The production build (`npm run build`): the service and the admin CLI bundled by esbuild into
 * runnable ESM under `dist/` with source maps, and the tab's static files into `dist/tab`. Only
 * the project's own code is bundled; packages stay in node_modules (production dependencies
 * only: `npm ci --omit=dev`), so their own loading — and OpenTelemetry's instrumentation of
 * them — works as published. Run with `npm run serve` (`node --enable-source-maps dist/main.js`).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildTab } from '../tab/build';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The commit being built, or `unknown` outside a git checkout. */
function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: root(''),
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** Builds `outDir` (default `dist/`) and returns each output's size in bytes. */
export async function buildService(outDir = root('dist')): Promise<Record<string, number>> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { main: root('bot/main.ts'), cli: root('bot/cli.ts') },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    outdir: outDir,
    logLevel: 'warning',
    define: {
      BUILD_INFO: JSON.stringify({ commit: commit(), builtAt: new Date().toISOString() }),
      // The built tab sits beside the bundle (bot/paths.ts).
      BUILD_TAB_DIR: JSON.stringify('./tab'),
    },
  });
  // dist/ is ESM whatever the folder it is copied to.
  await writeFile(`${outDir}/package.json`, JSON.stringify({ type: 'module' }) + '\n');
  const sizes: Record<string, number> = {};
  for (const file of ['main.js', 'cli.js']) sizes[file] = (await stat(`${outDir}/${file}`)).size;
  for (const [file, bytes] of Object.entries(await buildTab(`${outDir}/tab`))) sizes[`tab/${file}`] = bytes;
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildService();
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  console.log(
    `built dist/: ${Object.entries(sizes)
      .map(([f, b]) => `${f} ${kb(b)}`)
      .join(', ')}\nrun it with: npm run serve`,
  );
}
