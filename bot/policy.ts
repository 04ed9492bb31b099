/**
 * Resolves the organisation's policy (DESIGN.md §3) from the POLICY setting: a preset id or the
 * path of a custom policy JSON file. An invalid policy stops start-up with the path of each bad field.
 */
import { readFileSync } from 'node:fs';
import { PolicyError, findPreset, loadPolicy } from '../core/policy/load';
import { type Policy } from '../core/policy/schema';
import { ConfigError } from './config';

/** Loads the policy named by the POLICY setting; throws ConfigError naming POLICY when it is unusable. */
export function resolvePolicy(setting: string): Policy {
  const preset = findPreset(setting);
  if (preset) return preset;
  let contents: string;
  try {
    contents = readFileSync(setting, 'utf8');
  } catch {
    throw new ConfigError([
      {
        name: 'POLICY',
        message: `"${setting}" is neither a preset (professional-conversation, career-conversations) nor a readable policy JSON file`,
      },
    ]);
  }
  try {
    return loadPolicy(contents, setting);
  } catch (error) {
    if (error instanceof PolicyError) {
      throw new ConfigError(
        error.issues.map((i) => ({ name: `POLICY (${setting}) ${i.path}`, message: i.message })),
      );
    }
    throw error;
  }
}

/** The key areas of the policy's main counted conversation type, in order, for cards. */
export function mainAreas(policy: Policy): string[] {
  const typeId = policy.compliance.countedTypes[0];
  const type = policy.conversationTypes.find((t) => t.id === typeId) ?? policy.conversationTypes[0];
  return (type?.areas ?? []).map((a) => a.title);
}
