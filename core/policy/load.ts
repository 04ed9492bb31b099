/**
 * Turning JSON into a validated policy: presets by name, custom documents (optionally extending a
 * preset), and errors that name the path of each bad field (DESIGN.md §3, §5 "Configuration is
 * parsed and validated once"). Reading files is the caller's job (bot/); this module does no I/O.
 */
import { type z } from 'zod';
import { deepFreeze } from './freeze';
import { PRESETS, DEFAULT_PRESET_ID } from './presets';
import { policySchema, type Policy } from './schema';

/** One problem with a policy document. */
export interface PolicyIssue {
  /** Dotted path of the bad field, e.g. `compliance.required` or `conversationTypes[0].areas`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown when a policy document is invalid; the message lists `path: message` lines. */
export class PolicyError extends Error {
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[], source?: string) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`);
    super(`invalid policy${source ? ` ${source}` : ''}:\n${lines.join('\n')}`);
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One zod issue as policy issues: unknown keys one per key, missing fields said plainly. */
function toPolicyIssues(issue: z.core.$ZodIssue): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'is not a field of this part of the policy',
    }));
  }
  const missing = /^Invalid input: expected (\w+), received undefined$/.exec(issue.message);
  const message = missing ? `is required (${missing[1]})` : issue.message;
  return [{ path: formatPath(issue.path), message }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge for `extends`: objects merge key by key, everything else (arrays too) replaces. */
function mergeOver(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeOver(base[key], value);
  return out;
}

/** Names of the shipped presets. */
export function presetIds(): readonly string[] {
  return Object.keys(PRESETS);
}

/** A shipped preset by id, or undefined. */
export function findPreset(presetId: string): Policy | undefined {
  return Object.hasOwn(PRESETS, presetId) ? PRESETS[presetId] : undefined;
}

/**
 * Validates a parsed JSON document as a policy. A document may say `"extends": "<preset id>"` and
 * give only the fields it changes (objects merge; arrays replace). Throws PolicyError.
 */
export function parsePolicy(json: unknown, source?: string): Policy {
  let doc = json;
  if (isPlainObject(json) && 'extends' in json) {
    const { extends: parent, ...rest } = json;
    const base = typeof parent === 'string' ? findPreset(parent) : undefined;
    if (!base) {
      throw new PolicyError(
        [{ path: 'extends', message: `must name a preset (${presetIds().join(', ')})` }],
        source,
      );
    }
    doc = mergeOver(structuredClone(base), rest);
  }
  const result = policySchema.safeParse(doc);
  if (!result.success) throw new PolicyError(result.error.issues.flatMap(toPolicyIssues), source);
  return deepFreeze(result.data);
}

/**
 * Resolves a policy from a preset id or from JSON text (a custom policy file's contents).
 * With no argument, the default preset (`professional-conversation`).
 */
export function loadPolicy(nameOrJson: string = DEFAULT_PRESET_ID, source?: string): Policy {
  const preset = findPreset(nameOrJson.trim());
  if (preset) return preset;
  let json: unknown;
  try {
    json = JSON.parse(nameOrJson);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError(
      [
        {
          path: '(root)',
          message: `not a preset (${presetIds().join(', ')}) and not valid JSON: ${reason}`,
        },
      ],
      source,
    );
  }
  return parsePolicy(json, source);
}
