/**
 * Azure Tables limits (DESIGN.md §7), checked before a write so a user gets a clear message naming
 * the field rather than a storage error: a string property holds at most 64 KiB (UTF-16, so
 * 32,768 code units) and an entity at most 1 MiB.
 */
import { type Employee } from '../../core/model';
import { TooLargeError } from '../../core/ports';

/** Largest string property, in UTF-16 code units (64 KiB). */
export const MAX_STRING_UNITS = 32 * 1024;
/** Largest entity, in bytes (approximated as UTF-16 string sizes plus 8 bytes per other value). */
export const MAX_ENTITY_BYTES = 1024 * 1024;

/** Throws {@link TooLargeError} naming the first property that is too long, or the entity when it is too big. */
export function assertFits(entity: Readonly<Record<string, unknown>>, what: string): void {
  let bytes = 0;
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_UNITS) {
        throw new TooLargeError(
          name,
          `${what}: "${name}" is ${value.length.toLocaleString('en-GB')} characters; the most that can be stored is ${MAX_STRING_UNITS.toLocaleString('en-GB')}. Shorten it and save again.`,
        );
      }
      bytes += name.length * 2 + value.length * 2;
    } else {
      bytes += name.length * 2 + 8;
    }
  }
  if (bytes > MAX_ENTITY_BYTES) {
    throw new TooLargeError(
      '(record)',
      `${what} is too large to store (${Math.round(bytes / 1024)} KiB; at most 1,024 KiB).`,
    );
  }
}

/** Longest text a person's cell may hold (README "CSV formats"). */
export const MAX_CELL_CHARS = 1_024;
/** Longest id: a key holds 1 KiB (DESIGN.md §7), and an id is a key in several tables. */
export const MAX_ID_CHARS = 256;

/** True for the control characters Azure Tables refuses in a key (U+0000–U+001F, U+007F–U+009F). */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * Why an id cannot be a key, or undefined when it can: ids are row and partition keys of the
 * employees, team and conversations tables, which refuse / \ # ? and control characters; `~`
 * starts the keys this app keeps for itself.
 */
export function keyProblem(name: string, id: string): string | undefined {
  if (id.length > MAX_ID_CHARS)
    return `${name} is ${id.length.toLocaleString('en-GB')} characters; at most ${MAX_ID_CHARS} can be stored`;
  const shown = `"${id.slice(0, 40)}${id.length > 40 ? '…' : ''}"`;
  for (const ch of id) {
    const code = ch.codePointAt(0)!;
    if ('/\\#?'.includes(ch) || isControl(code)) {
      const what = isControl(code)
        ? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
        : `"${ch}"`;
      return `${name} ${shown} contains ${what}, which an id cannot hold (no / \\ # ? or control characters)`;
    }
  }
  if (id.startsWith('~')) return `${name} ${shown} starts with "~", which is kept for the app's own keys`;
  return undefined;
}

/**
 * Why a person from an HR file cannot be stored as they are (DESIGN.md §7 limits, checked before
 * any write), as messages naming the cell; empty when they fit. Every text cell is capped so a
 * person's columns, one property of the employees table, stay far inside its 64 KiB.
 */
export function personProblems(e: Employee): string[] {
  const problems: string[] = [];
  const id = keyProblem('employee_id', e.id);
  if (id) problems.push(id);
  if (e.managerId !== undefined) {
    const manager = keyProblem('manager_id', e.managerId);
    if (manager) problems.push(manager);
  }
  const cells: [string, string][] = [
    ['name', e.name],
    ['email', e.email],
    ['position_number', e.positionNumber],
    ['department', e.department],
    ['staff_group', e.staffGroup],
  ];
  for (const [name, value] of cells) {
    if (value.length > MAX_CELL_CHARS) {
      problems.push(
        `${name} is ${value.length.toLocaleString('en-GB')} characters; at most ${MAX_CELL_CHARS.toLocaleString('en-GB')} can be stored`,
      );
    }
  }
  return problems;
}
