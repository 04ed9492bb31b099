/**
 * The Teams app package (`npm run package -- --env <name>`): fills `manifest.template.json` from
 * `env/.env.<name>` (and `env/.env.<name>.user` if present), validates the result offline against
 * the schema that `@microsoft/app-manifest` bundles for the manifest's version, checks the icons
 * (sizes; the outline white on transparent) and that every tab URL is on a valid domain, and
 * writes the zip to upload in Teams admin centre or the Developer Portal. Any problem stops it
 * with a message naming the file, and the schema's own path and message for schema errors.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { matchCommand } from '../bot/teams/commands';

/** The repository root (this file is in manifest/). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a placeholder's value comes from in the template: `${{NAME}}`, as the Agents Toolkit writes it. */
export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Icon sizes Teams requires (pixels, square). */
const ICON_SIZES = { color: 192, outline: 32 } as const;

/** What `buildPackage` needs; everything but `env` has a default. */
export interface PackageOptions {
  /** The environment: reads `env/.env.<env>` under `rootDir`. */
  readonly env: string;
  /** The repository root (default: the one holding this file). */
  readonly rootDir?: string;
  /** Where the zip goes (default `<rootDir>/appPackage/build`). */
  readonly outDir?: string;
  /** The manifest template (default `<rootDir>/manifest/manifest.template.json`); icons are beside it. */
  readonly template?: string;
}

/** What `buildPackage` wrote. */
export interface PackageResult {
  readonly zipPath: string;
  /** The filled manifest, also written beside the zip as `manifest.<env>.json`. */
  readonly manifestPath: string;
  readonly manifest: Record<string, unknown>;
  /** The zip's entries, in order. */
  readonly entries: readonly string[];
}

/** Why the package could not be built; `problems` lists every one found. */
export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The app package was not built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

/** Reads `env/.env.<env>` and, over it, `env/.env.<env>.user`; returns the values and the files read. */
export async function readEnvFiles(
  rootDir: string,
  env: string,
): Promise<{ values: Record<string, string>; files: string[] }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(env)) {
    throw new PackageError([`--env "${env}" is not an environment name (letters, digits, - and _)`]);
  }
  const main = join(rootDir, 'env', `.env.${env}`);
  if (!existsSync(main)) {
    throw new PackageError([`${relative(rootDir, main)} does not exist: which environment is "${env}"?`]);
  }
  const files = [main, `${main}.user`].filter((file) => existsSync(file));
  const values: Record<string, string> = {};
  for (const file of files) {
    for (const [name, value] of Object.entries(parseEnv(await readFile(file, 'utf8')))) {
      if (value !== undefined) values[name] = value;
    }
  }
  return { values, files };
}

/**
 * Replaces every `${{NAME}}` in JSON text with its value, escaped for a JSON string. A name the
 * environment does not define is a problem naming it; an empty value stays empty (the schema then
 * says which field may not be empty).
 */
export function fillPlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
  where: string,
): { text: string; problems: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1);
  });
  const problems = [...missing].map(
    (name) =>
      `\${{${name}}} is not defined in ${where} (set it there, or run the Agents Toolkit's provision, which writes it)`,
  );
  return { text: filled, problems };
}

/** The folder of the JSON schemas `@microsoft/app-manifest` ships. */
function bundledSchemaDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas');
}

/**
 * The bundled schema for the manifest's `$schema` URL, or a problem. Only a Teams schema the
 * package ships is accepted, so validation never goes to the network.
 */
async function bundledSchema(manifest: Record<string, unknown>): Promise<object | string> {
  const url = manifest.$schema;
  const match =
    typeof url === 'string'
      ? /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v[\w.]+)\/MicrosoftTeams\.schema\.json$/i.exec(
          url,
        )
      : null;
  if (match === null) {
    return `$schema must be a Teams manifest schema URL (https://developer.microsoft.com/json-schemas/teams/v<version>/MicrosoftTeams.schema.json), not ${JSON.stringify(url)}`;
  }
  const file = join(bundledSchemaDir(), 'teams', match[1]!, 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) {
    return `$schema names version ${match[1]}, which @microsoft/app-manifest does not bundle; use one in ${join(bundledSchemaDir(), 'teams')}`;
  }
  // The published schemas contain "\a" and "\v" escapes that JSON does not allow (as the package itself handles).
  const raw = (await readFile(file, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(raw) as object;
}

/** Validates a filled manifest against its bundled schema; each problem is the schema's path and message. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const schema = await bundledSchema(manifest);
  if (typeof schema === 'string') return [schema];
  // The package's validator (ajv with the schema's draft and formats) on the schema we loaded.
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as TeamsManifest,
    schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
  return errors.map((error) => `schema: ${error.trim()}`);
}

/** Checks one icon: PNG, the size Teams requires, and for the outline white on a transparent background. */
export function checkIcon(kind: 'color' | 'outline', file: string, bytes: Buffer): string[] {
  let image: PNG;
  try {
    image = PNG.sync.read(bytes);
  } catch (error) {
    return [`${file} is not a PNG image (${error instanceof Error ? error.message : 'unreadable'})`];
  }
  const size = ICON_SIZES[kind];
  const problems: string[] = [];
  if (image.width !== size || image.height !== size) {
    problems.push(`${file} is ${image.width}×${image.height}; the ${kind} icon must be ${size}×${size}`);
  }
  if (kind === 'outline') {
    let coloured = 0;
    let transparent = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b, a] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
      if (a === 0) transparent++;
      else if (r < 250 || g < 250 || b < 250) coloured++;
    }
    if (coloured > 0) {
      problems.push(
        `${file} has ${coloured} visible pixels that are not white; the outline icon must be white on transparent`,
      );
    }
    const corners = [0, image.width - 1, (image.height - 1) * image.width, image.height * image.width - 1];
    if (transparent === 0 || corners.some((p) => image.data[p * 4 + 3] !== 0)) {
      problems.push(`${file} must have a transparent background (its corners are not transparent)`);
    }
  }
  return problems;
}

/** Every tab URL's host must be one of `validDomains` (wildcards `*.` allowed), or Teams will not load it. */
function checkTabDomains(manifest: Record<string, unknown>): string[] {
  const domains = (Array.isArray(manifest.validDomains) ? manifest.validDomains : []).filter(
    (d): d is string => typeof d === 'string',
  );
  const allowed = (host: string) =>
    domains.some((d) => (d.startsWith('*.') ? host.endsWith(d.slice(1)) : host === d.toLowerCase()));
  const urls: [string, unknown][] = [];
  for (const tab of asObjects(manifest.staticTabs))
    urls.push([`staticTabs "${String(tab.entityId)}"`, tab.contentUrl]);
  for (const tab of asObjects(manifest.configurableTabs))
    urls.push([`configurableTabs "${String(tab.id)}"`, tab.configurationUrl]);
  const problems: string[] = [];
  for (const [where, url] of urls) {
    if (typeof url !== 'string') continue;
    let host: string;
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      continue; // the schema reports a malformed URL
    }
    if (!allowed(host))
      problems.push(`${where}: ${host} is not in validDomains (${domains.join(', ') || 'none'})`);
  }
  return problems;
}

function asObjects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

/**
 * Gives each bot command the description the bot's own help card shows (bot/i18n/en-GB.ts), so the
 * package cannot say something the bot does not: the catalogue's words are policy-neutral, and the
 * env files do not say which policy the service runs.
 */
function describeCommands(manifest: Record<string, unknown>): void {
  for (const bot of asObjects(manifest.bots)) {
    for (const list of asObjects(bot.commandLists)) {
      for (const command of asObjects(list.commands)) {
        const known = typeof command.title === 'string' ? matchCommand(command.title) : undefined;
        if (known !== undefined && known.title === command.title) command.description = known.description;
      }
    }
  }
}

/** Builds `appPackage.<env>.zip` (manifest.json and the two icons); throws {@link PackageError} on any problem. */
export async function buildPackage(options: PackageOptions): Promise<PackageResult> {
  const rootDir = resolve(options.rootDir ?? ROOT);
  const template = resolve(options.template ?? join(rootDir, 'manifest', 'manifest.template.json'));
  const outDir = resolve(options.outDir ?? join(rootDir, 'appPackage', 'build'));
  const show = (file: string) => relative(rootDir, file) || file;

  const { values, files } = await readEnvFiles(rootDir, options.env);
  const filled = fillPlaceholders(await readFile(template, 'utf8'), values, files.map(show).join(' and '));
  if (filled.problems.length > 0)
    throw new PackageError(filled.problems.map((p) => `${show(template)}: ${p}`));

  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(filled.text) as Record<string, unknown>;
  } catch (error) {
    throw new PackageError([
      `${show(template)} is not valid JSON once filled: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  describeCommands(manifest);
  const problems = (await validateManifest(manifest)).map((p) => `${show(template)}: ${p}`);
  problems.push(...checkTabDomains(manifest).map((p) => `${show(template)}: ${p}`));

  const icons = (manifest.icons ?? {}) as { color?: unknown; outline?: unknown };
  const entries: [string, Uint8Array][] = [
    ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n')],
  ];
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    if (typeof name !== 'string') continue; // the schema reports it
    const file = resolve(dirname(template), name);
    if (!existsSync(file)) {
      problems.push(`${show(template)}: icons.${kind} is ${name}, but ${show(file)} does not exist`);
      continue;
    }
    const bytes = await readFile(file);
    problems.push(...checkIcon(kind, show(file), bytes));
    entries.push([name, bytes]);
  }
  if (problems.length > 0) throw new PackageError(problems);

  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${options.env}.zip`);
  const manifestPath = join(outDir, `manifest.${options.env}.json`);
  // A fixed timestamp: the same inputs give the same zip, byte for byte.
  const mtime = new Date('2026-01-01T00:00:00Z');
  await writeFile(zipPath, zipSync(Object.fromEntries(entries.map(([n, b]) => [n, [b, { mtime }]]))));
  await writeFile(manifestPath, entries[0]![1]);
  return { zipPath, manifestPath, manifest, entries: entries.map(([name]) => name) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { env: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (values.env === undefined) {
    throw new PackageError([
      'say which environment: npm run package -- --env <name> (reads env/.env.<name>)',
    ]);
  }
  const result = await buildPackage({ env: values.env, outDir: values.out });
  const { manifest } = result;
  console.log(
    `wrote ${relative(process.cwd(), result.zipPath)} (${result.entries.join(', ')}): ` +
      `manifest ${String(manifest.manifestVersion)}, app ${String(manifest.id)} version ${String(manifest.version)}`,
  );
  console.log(`      ${relative(process.cwd(), result.manifestPath)} (the filled manifest, for reading)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    // Our own problems and wrong arguments are said plainly; anything else keeps its stack.
    const plain = error instanceof PackageError || (error instanceof TypeError && 'code' in error);
    console.error(plain ? error.message : error);
    process.exitCode = 1;
  });
}
