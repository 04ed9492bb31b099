/** Bundles the tab into static files (tab/dist) that the service serves. */
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Builds tab/dist and returns the size in bytes of each output file. */
export async function buildTab(outDir = here('./dist')): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: here('./src/main.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
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
