/**
 * The Teams app package and the Agents Toolkit project: the package built for the demo
 * environment passes the schema bundled in @microsoft/app-manifest; a broken manifest fails with
 * the schema's message; the icons are the sizes Teams needs and the outline is white on
 * transparent; the manifest's bot commands are the ones the bot understands; every `${{...}}`
 * placeholder is defined when the Toolkit needs it. (Its tab URLs are fetched from the built
 * service in test/build.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { parse as parseYaml } from 'yaml';
import { COMMANDS, matchCommand } from '../bot/teams/commands';
import { SHARED_CONVERSATION_VERBS } from '../bot/teams/verb-handlers';
import { PLACEHOLDER, PackageError, buildPackage, checkIcon, validateManifest } from '../manifest/package';

const ROOT = new URL('..', import.meta.url).pathname;
const path = (file: string) => join(ROOT, file);

interface Command {
  title: string;
  description: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Manifest {
  manifestVersion: string;
  id: string;
  bots: { botId: string; scopes: string[]; commandLists: CommandList[] }[];
  staticTabs: { entityId: string; name?: string; contentUrl?: string; scopes: string[] }[];
  configurableTabs: { configurationUrl: string; scopes: string[]; context: string[] }[];
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
  authorization?: unknown;
}

/** The problems a rejected package build reports. */
async function problemsOf(build: Promise<unknown>): Promise<readonly string[]> {
  try {
    await build;
  } catch (error) {
    assert.ok(error instanceof PackageError, `expected a PackageError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected the package build to fail');
}

/** A copy of manifest/ in a temp folder, with the template changed by `edit`. */
async function brokenTemplate(dir: string, edit: (text: string) => string): Promise<string> {
  await cp(path('manifest'), join(dir, 'manifest'), { recursive: true });
  const template = join(dir, 'manifest', 'manifest.template.json');
  await writeFile(template, edit(await readFile(template, 'utf8')));
  return template;
}

describe('Teams app package', function () {
  this.timeout(60_000);
  let outDir: string;
  let manifest: Manifest;
  let files: Record<string, Uint8Array>;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'pc-package-'));
    const result = await buildPackage({ env: 'demo', outDir });
    assert.equal(result.zipPath, join(outDir, 'appPackage.demo.zip'));
    files = unzipSync(await readFile(result.zipPath));
    manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as Manifest;
  });

  after(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('zips manifest.json and both icons, with every placeholder filled from env/.env.demo', async () => {
    assert.deepEqual(Object.keys(files).sort(), ['color.png', 'manifest.json', 'outline.png']);
    const text = Buffer.from(files['manifest.json']!).toString('utf8');
    assert.doesNotMatch(text, /\$\{\{/);
    const demo = parseEnv(await readFile(path('env/.env.demo'), 'utf8'));
    assert.equal(manifest.id, demo.TEAMS_APP_ID);
    assert.equal(manifest.bots[0]!.botId, demo.BOT_ID);
    assert.deepEqual(manifest.validDomains, [demo.TAB_DOMAIN]);
    assert.deepEqual(manifest.webApplicationInfo, {
      id: demo.AAD_APP_CLIENT_ID,
      resource: `api://${demo.TAB_DOMAIN}/${demo.AAD_APP_CLIENT_ID}`,
    });
  });

  it('unzipped, the manifest passes the schema @microsoft/app-manifest bundles for its version', async () => {
    const bundled = join(
      ROOT,
      'node_modules/@microsoft/app-manifest/build/json-schemas/teams',
      `v${manifest.manifestVersion}`,
      'MicrosoftTeams.schema.json',
    );
    assert.ok(existsSync(bundled), `no bundled schema for ${manifest.manifestVersion}`);
    assert.deepEqual(await validateManifest(manifest as unknown as Record<string, unknown>), []);
  });

  it('has the bot in personal, team and group chat scopes, the personal tabs and the OD channel tab', () => {
    assert.deepEqual(manifest.bots[0]!.scopes, ['personal', 'team', 'groupChat']);
    const personal = manifest.staticTabs.filter((t) => t.contentUrl !== undefined);
    assert.deepEqual(
      personal.map((t) => [t.name, new URL(t.contentUrl!).searchParams.get('view')]),
      [
        ['My team', 'team'],
        ['Organisation', 'organisation'],
        ['My conversations', 'conversations'],
      ],
    );
    assert.ok(manifest.staticTabs.every((t) => t.scopes.join() === 'personal'));
    const [channel] = manifest.configurableTabs;
    assert.equal(new URL(channel!.configurationUrl).searchParams.get('mode'), 'config');
    assert.deepEqual(channel!.scopes, ['team', 'groupChat']);
    for (const context of ['channelTab', 'meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel']) {
      assert.ok(channel!.context.includes(context), context);
    }
    // No resource-specific consent: the bot posts to the OD channel through the reference stored at
    // install and reads only messages that @mention it (see manifest/README.md).
    assert.equal(manifest.authorization, undefined);
  });

  it('writes the filled manifest beside the zip and builds the same zip from the same inputs', async () => {
    const first = await readFile(join(outDir, 'appPackage.demo.zip'));
    const again = await buildPackage({ env: 'demo', outDir });
    assert.ok(first.equals(await readFile(again.zipPath)));
    const written = JSON.parse(await readFile(join(outDir, 'manifest.demo.json'), 'utf8')) as Manifest;
    assert.deepEqual(written, manifest);
  });

  describe('a broken manifest', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pc-broken-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("fails with the schema's path and message", async () => {
      const template = await brokenTemplate(dir, (t) =>
        t
          .replace('"accentColor": "#0B6B69"', '"accentColor": "teal"')
          .replace('"personal", "team", "groupChat"', '"personal", "everyone"'),
      );
      const problems = await problemsOf(buildPackage({ env: 'demo', outDir: dir, template }));
      assert.ok(
        problems.some((p) => /schema: \/accentColor must match pattern/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) =>
          /schema: \/bots\/0\/scopes\/1 must be equal to one of the allowed values/.test(p),
        ),
        problems.join('\n'),
      );
      assert.ok(problems.every((p) => p.includes('manifest.template.json')));
      assert.ok(!existsSync(join(dir, 'appPackage.demo.zip')), 'no zip is written');
    });

    it('names a placeholder the environment does not define, and the env file', async () => {
      const template = await brokenTemplate(dir, (t) =>
        t.replace('${{TEAMS_APP_ID}}', '${{TEAMS_APP_IDENTITY}}'),
      );
      const problems = await problemsOf(buildPackage({ env: 'demo', outDir: dir, template }));
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /\$\{\{TEAMS_APP_IDENTITY\}\} is not defined in env\/\.env\.demo/);
    });

    it('refuses a schema version the package does not bundle, so validation never needs the network', async () => {
      const template = await brokenTemplate(dir, (t) => t.replace('teams/v1.22/', 'teams/v9.99/'));
      const problems = await problemsOf(buildPackage({ env: 'demo', outDir: dir, template }));
      assert.match(problems.join('\n'), /version v9\.99, which @microsoft\/app-manifest does not bundle/);
    });

    it('reports an unknown environment by its file', async () => {
      const problems = await problemsOf(buildPackage({ env: 'nowhere', outDir: dir }));
      assert.match(problems[0]!, /env\/\.env\.nowhere does not exist/);
    });
  });

  describe('icons', () => {
    it('are 192×192 (colour) and 32×32 (outline), the outline white on a transparent background', () => {
      const color = PNG.sync.read(Buffer.from(files['color.png']!));
      assert.deepEqual([color.width, color.height], [192, 192]);
      const outline = PNG.sync.read(Buffer.from(files['outline.png']!));
      assert.deepEqual([outline.width, outline.height], [32, 32]);
      assert.deepEqual(checkIcon('color', 'color.png', Buffer.from(files['color.png']!)), []);
      assert.deepEqual(checkIcon('outline', 'outline.png', Buffer.from(files['outline.png']!)), []);
      let visible = 0;
      for (let i = 0; i < outline.data.length; i += 4) if (outline.data[i + 3]! > 0) visible++;
      assert.ok(
        visible > 100 && visible < 32 * 32 * 0.8,
        `a drawing, not a blank or a filled square (${visible})`,
      );
    });

    it('are drawn for the product: the colour icon is not one flat colour', () => {
      const color = PNG.sync.read(Buffer.from(files['color.png']!));
      const colours = new Set<number>();
      for (let i = 0; i < color.data.length; i += 4) colours.add(color.data.readUInt32BE(i));
      assert.ok(colours.size > 4, `${colours.size} colours`);
    });

    it('a wrong size, a coloured outline or an opaque background is reported', () => {
      const opaqueRed = new PNG({ width: 32, height: 32 });
      opaqueRed.data.fill(255);
      for (let i = 0; i < opaqueRed.data.length; i += 4) opaqueRed.data[i + 1] = opaqueRed.data[i + 2] = 0;
      const problems = checkIcon('outline', 'red.png', PNG.sync.write(opaqueRed));
      assert.match(problems.join('\n'), /1024 visible pixels that are not white/);
      assert.match(problems.join('\n'), /must have a transparent background/);
      assert.match(
        checkIcon('color', 'small.png', PNG.sync.write(opaqueRed)).join('\n'),
        /small\.png is 32×32; the color icon must be 192×192/,
      );
      assert.match(
        checkIcon('color', 'x.png', Buffer.from('not a png')).join('\n'),
        /x\.png is not a PNG image/,
      );
    });
  });

  describe('bot commands', () => {
    const lists = () => manifest.bots[0]!.commandLists;

    it('every command in the manifest, in every scope, is one the bot understands, by its own title', () => {
      for (const list of lists()) {
        for (const command of list.commands) {
          const matched = matchCommand(command.title);
          assert.ok(
            matched,
            `"${command.title}" (${list.scopes.join(', ')}) is not a command the bot understands`,
          );
          assert.equal(matched.title, command.title);
          assert.equal(matched.description, command.description, `description of "${command.title}"`);
        }
      }
    });

    it("the personal list is the help card's list, in its order", () => {
      const personal = lists().find((l) => l.scopes.includes('personal'));
      assert.deepEqual(
        personal?.commands,
        COMMANDS.map((c) => ({ title: c.title, description: c.description })),
      );
    });

    it('team and group chats list exactly the commands the bot answers there (no one person’s data)', () => {
      const group = lists().find((l) => l.scopes.includes('team'));
      assert.deepEqual(group?.scopes, ['team', 'groupChat']);
      assert.deepEqual(
        group?.commands,
        COMMANDS.filter((c) => SHARED_CONVERSATION_VERBS.has(c.verb)).map((c) => ({
          title: c.title,
          description: c.description,
        })),
      );
      assert.deepEqual(
        group?.commands.map((c) => c.title),
        ['help'],
      );
      assert.equal(lists().length, 2, 'every scope of the bot has exactly one list');
    });
  });

  // Every tab URL is fetched from the built service as deployed: test/build.test.ts.
});

/**
 * The placeholder rule: a `${{NAME}}` is defined for a Toolkit lifecycle when, at the step that
 * uses it (in its own settings or in a file it reads: the manifest template, the Entra manifest,
 * the ARM parameters file), NAME is in the environment's committed env file (an empty value
 * counts: the Toolkit asks for it or skips), or an earlier step wrote it — a `writeToEnvironmentFile`
 * mapping, a script's `::set-teamsfx-env NAME=`, an `arm/deploy` output of infra/main.bicep, or for
 * the local environment the dev tunnel task in .vscode/tasks.json, which runs before provision.
 * Steps run in lifecycle order: provision, deploy, publish. TEAMSFX_ENV is the Toolkit's own.
 */
describe('Agents Toolkit project: every ${{...}} placeholder is defined where it is used', () => {
  interface Step {
    uses: string;
    with?: Record<string, unknown>;
    writeToEnvironmentFile?: Record<string, string>;
  }
  type Project = Partial<Record<'provision' | 'deploy' | 'publish', Step[]>>;

  const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);

  async function envKeys(env: string): Promise<Set<string>> {
    return new Set(Object.keys(parseEnv(await readFile(path(`env/.env.${env}`), 'utf8'))));
  }

  async function bicepOutputs(): Promise<string[]> {
    const bicep = await readFile(path('infra/main.bicep'), 'utf8');
    return [...bicep.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
  }

  /** The files a step reads and fills placeholders in. */
  function filesOf(step: Step): string[] {
    const settings = step.with ?? {};
    if (step.uses === 'arm/deploy') {
      return (settings.templates as { parameters?: string }[]).flatMap((t) =>
        t.parameters ? [t.parameters] : [],
      );
    }
    if (['teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'aadApp/update'].includes(step.uses)) {
      return [settings.manifestPath as string];
    }
    return [];
  }

  /** Walks a project file's lifecycles; returns the names still undefined where used, and all defined at the end. */
  async function check(
    file: string,
    initial: Set<string>,
  ): Promise<{ undefined: string[]; defined: Set<string> }> {
    const project = parseYaml(await readFile(path(file), 'utf8')) as Project;
    const defined = new Set([...initial, 'TEAMSFX_ENV']);
    const missing: string[] = [];
    const outputs = await bicepOutputs();
    for (const lifecycle of ['provision', 'deploy', 'publish'] as const) {
      for (const [index, step] of (project[lifecycle] ?? []).entries()) {
        const where = `${file} ${lifecycle}[${index}] ${step.uses}`;
        const used = placeholders(JSON.stringify(step.with ?? {})).map((name) => [name, where] as const);
        for (const read of filesOf(step)) {
          assert.ok(existsSync(path(read)), `${where} reads ${read}, which does not exist`);
          used.push(
            ...placeholders(await readFile(path(read), 'utf8')).map(
              (name) => [name, `${read} (${where})`] as const,
            ),
          );
        }
        for (const [name, at] of used) if (!defined.has(name)) missing.push(`${name} in ${at}`);
        for (const name of Object.values(step.writeToEnvironmentFile ?? {})) defined.add(name);
        const run = step.with?.run;
        if (step.uses === 'script' && typeof run === 'string') {
          for (const m of run.matchAll(/::set-teamsfx-env (\w+)=/g)) defined.add(m[1]!);
        }
        if (step.uses === 'arm/deploy') for (const name of outputs) defined.add(name);
      }
    }
    return { undefined: missing, defined };
  }

  /** What the VS Code tasks for an environment write before its provision (the dev tunnel). */
  async function taskOutputs(env: string): Promise<string[]> {
    // tasks.json allows comments (JSONC); these files have them only on their own lines.
    const text = (await readFile(path('.vscode/tasks.json'), 'utf8')).replace(/^\s*\/\/.*$/gm, '');
    const { tasks } = JSON.parse(text) as {
      tasks: { args?: { env?: string; ports?: { writeToEnvironmentFile?: Record<string, string> }[] } }[];
    };
    return tasks
      .filter((t) => t.args?.env === env)
      .flatMap((t) => (t.args?.ports ?? []).flatMap((p) => Object.values(p.writeToEnvironmentFile ?? {})));
  }

  it('m365agents.yml (env/.env.dev), with the manifest, the Entra manifest and the ARM parameters', async () => {
    const result = await check('m365agents.yml', await envKeys('dev'));
    assert.deepEqual(result.undefined, []);
    // The outputs the web app and the package need all come from infra/main.bicep.
    for (const name of ['BOT_ID', 'BOT_DOMAIN', 'TAB_DOMAIN', 'TAB_ENDPOINT', 'AZURE_WEB_APP_RESOURCE_ID']) {
      assert.ok((await bicepOutputs()).includes(name), `infra/main.bicep has no output ${name}`);
    }
  });

  it("provision picks a resource suffix when env/.env.dev leaves it empty, within resourceBaseName's length", async () => {
    const project = parseYaml(await readFile(path('m365agents.yml'), 'utf8')) as Project;
    const steps = project.provision ?? [];
    const suffixStep = steps.find(
      (s) => s.uses === 'script' && String(s.with?.run).includes('set-teamsfx-env RESOURCE_SUFFIX='),
    );
    assert.ok(suffixStep, 'a script step sets RESOURCE_SUFFIX');
    assert.ok(
      steps.indexOf(suffixStep) < steps.findIndex((s) => s.uses === 'arm/deploy'),
      'before arm/deploy reads it',
    );
    // The Toolkit runs the script in a shell with the env file's values in the environment.
    const runWith = (suffix: string) =>
      execFileSync('sh', ['-c', String(suffixStep.with?.run)], {
        env: { PATH: process.env.PATH, RESOURCE_SUFFIX: suffix },
        encoding: 'utf8',
      });
    const picked = /^::set-teamsfx-env RESOURCE_SUFFIX=([0-9a-f]{6})\n$/.exec(runWith(''));
    assert.ok(picked, 'six hex digits written to the env file');
    const baseName = `pc${picked[1]}`;
    assert.match(baseName, /^[a-z][a-z0-9-]{3,19}$/, 'resourceBaseName: 4-20 characters');
    assert.equal(runWith('abc123'), '', 'a suffix already chosen is kept');
  });

  it('m365agents.local.yml (env/.env.local and the dev tunnel), and the launch URLs that read it', async () => {
    const result = await check(
      'm365agents.local.yml',
      new Set([...(await envKeys('local')), ...(await taskOutputs('local'))]),
    );
    assert.deepEqual(result.undefined, []);
    const launch = await readFile(path('.vscode/launch.json'), 'utf8');
    for (const m of launch.matchAll(/\$\{\{local:(\w+)\}\}/g)) assert.ok(result.defined.has(m[1]!), m[1]);
  });

  it('m365agents.playground.yml (env/.env.playground)', async () => {
    assert.deepEqual((await check('m365agents.playground.yml', await envKeys('playground'))).undefined, []);
  });

  it('the package step needs nothing provision writes for the demo environment', async () => {
    const keys = await envKeys('demo');
    const template = await readFile(path('manifest/manifest.template.json'), 'utf8');
    assert.deepEqual(
      placeholders(template).filter((name) => !keys.has(name)),
      [],
    );
  });

  it('committed env files hold no secrets (SECRET_* belong in the ignored .user files)', async () => {
    for (const env of ['dev', 'local', 'playground', 'demo']) {
      const secrets = [...(await envKeys(env))].filter((name) => name.startsWith('SECRET_'));
      assert.deepEqual(secrets, [], `env/.env.${env}`);
    }
  });
});
