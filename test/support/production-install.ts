/**
 * A deployment as `npm ci --omit=dev` leaves it, without the network: a folder holding the
 * built `dist/`, package.json, and a node_modules of the production dependencies only (every
 * package `npm ls --omit=dev` lists, hard-linked from this checkout's node_modules, or copied
 * when the temporary directory is on another file system). Node resolves packages from the
 * folder up to the file system's root, so the folder is in the system's temporary directory,
 * never inside the checkout: there, the checkout's own node_modules (with every devDependency)
 * would be found and a missing production dependency would go unnoticed.
 */
import { execFile } from 'node:child_process';
import { mkdir, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
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
  const dir = await mkdtemp(join(tmpdir(), 'pc-production-'));
  if (!relative(root, dir).startsWith('..')) throw new Error(`${dir} is inside the checkout ${root}`);
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
    const source = `${root}node_modules/${name}`;
    // Hard links are instant; across file systems (a tmpfs /tmp) they fail, so copy.
    await run('cp', ['-al', source, target]).catch(() => run('cp', ['-a', source, target]));
  }
  return { dir, packages, remove: () => rm(dir, { recursive: true, force: true }) };
}
