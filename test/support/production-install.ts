/**
 * A deployment as `npm ci --omit=dev` leaves it, without the network: a folder holding the
 * built `dist/`, package.json, and a node_modules of the production dependencies only (every
 * package `npm ls --omit=dev` lists, hard-linked from this checkout's node_modules). Node resolves
 * packages from that folder up, so anything the build needs from a devDependency fails to load.
 * The folder is under `.tmp/` in the checkout, which is ignored and on the same file system.
 */
import { execFile } from 'node:child_process';
import { mkdir, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildService } from '../../bot/build';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** A production install: its folder, and how to remove it. */
export interface ProductionInstall {
  readonly dir: string;
  /** The top-level packages it holds. */
  readonly packages: readonly string[];
  remove(): Promise<void>;
}

/** Builds the service into a fresh folder and installs the production dependencies beside it. */
export async function productionInstall(): Promise<ProductionInstall> {
  await mkdir(`${root}.tmp`, { recursive: true });
  const dir = await mkdtemp(`${root}.tmp/production-`);
  await buildService(`${dir}/dist`);
  await copyFile(`${root}package.json`, `${dir}/package.json`);
  // npm ls exits non-zero on a warning (an extraneous package) while still listing the tree.
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  // Top-level entries only (node_modules/<name> or node_modules/@scope/<name>); nested ones come with them.
  const packages = stdout
    .split('\n')
    .map((line) => relative(root, line.trim()).split(sep).join('/'))
    .filter((path) => /^node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(path))
    .map((path) => path.slice('node_modules/'.length));
  for (const name of new Set(packages)) {
    const target = `${dir}/node_modules/${name}`;
    await mkdir(dirname(target), { recursive: true });
    await run('cp', ['-al', `${root}node_modules/${name}`, target]);
  }
  return { dir, packages, remove: () => rm(dir, { recursive: true, force: true }) };
}
