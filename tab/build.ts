/** Bundles the tab into static files (tab/dist) that the service serves. */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Builds tab/dist and returns the size in bytes of each output file. */
export async function buildTab(outDir = here('./dist')): Promise<Record<string, number>> {
  await rm(`${outDir}/chunks`, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: here('./src/main.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'browser',
    target: 'es2022',
    sourcemap: false,
    outdir: outDir,
    logLevel: 'warning',
  });
  await copyFile(here('./index.html'), `${outDir}/index.html`);
  await copyFile(here('./src/app.css'), `${outDir}/app.css`);
  const sizes: Record<string, number> = {};
  for (const file of ['index.html', 'app.js', 'app.css'])
    sizes[file] = (await stat(`${outDir}/${file}`)).size;
  // Chunks loaded on demand (the conversations view and the Adaptive Cards renderer).
  for (const file of await readdir(`${outDir}/chunks`)) {
    sizes[`chunks/${file}`] = (await stat(`${outDir}/chunks/${file}`)).size;
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildTab();
  console.log(
    `tab built: ${Object.entries(sizes)
      .map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`)
      .join(', ')}`,
  );
}
