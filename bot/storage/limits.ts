/**
 * Azure Tables limits (DESIGN.md §7), checked before a write so a user gets a clear message naming
 * the field rather than a storage error: a string property holds at most 64 KiB (UTF-16, so
 * 32,768 code units) and an entity at most 1 MiB.
 */
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
