/** Small helpers every Azure Table adapter shares. */

/** The HTTP status of a storage error, if it has one (404 not found, 409 exists, 412 stale ETag). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Drops undefined properties: Azure Tables has no "undefined", and an absent property reads back as absent. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
