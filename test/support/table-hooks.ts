/**
 * Table calls a fault test can act on: {@link hookTables} wraps every table of a {@link Tables} so
 * that each completed promise-returning call (`createEntity`, `submitTransaction`, …) is reported
 * as `<table>.<method>` with its count, and the hook is awaited before the caller sees the answer
 * — so a test can stop Azurite, or a child kill itself, at an exact step of a write path. An
 * optional `before` hook is called as each call starts (counted separately), for the step between
 * two batches of concurrent calls, where "after the nth completed" would let the rest through.
 * Iterators (`listEntities`) pass through unchanged.
 */
import { type Tables } from '../../bot/storage/tables';

/** Called after each completed call: `name` is `<table>.<method>`, `n` how many of those have completed. */
export type TableHook = (name: string, n: number) => void | Promise<void>;

/** The same tables, each call reported to `hook` once it has completed. */
export function hookTables(
  tables: Tables,
  hook: TableHook,
  before?: (name: string, n: number) => void,
): Tables {
  const counts = new Map<string, number>();
  const started = new Map<string, number>();
  const wrap = <T extends object>(table: T, tableName: string): T =>
    new Proxy(table, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          if (before !== undefined) {
            const name = `${tableName}.${property}`;
            const n = (started.get(name) ?? 0) + 1;
            started.set(name, n);
            before(name, n);
          }
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(async (answer: unknown) => {
            const name = `${tableName}.${property}`;
            const n = (counts.get(name) ?? 0) + 1;
            counts.set(name, n);
            await hook(name, n);
            return answer;
          });
        };
      },
    });
  return Object.fromEntries(
    Object.entries(tables).map(([name, table]) => [name, wrap(table as object, name)]),
  ) as unknown as Tables;
}
