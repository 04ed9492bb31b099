/**
 * Core benchmark (DESIGN.md §8): evaluate 100,000 employees with about 1.2 million conversations
 * in memory, target < 0.5 s on one core. Data: the deterministic demo organisation
 * (bot/dev/demo-org.ts, fixed seed) at 100,000 people with 14 quarters of history.
 * Run alone with `npx tsx test/bench/core-bench.ts`; `npm run bench` imports `benchCore`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import {
  evaluateOrganisation,
  groupFigures,
  noConversationIn12Months,
  planNudges,
  PROFESSIONAL_CONVERSATION,
  rollUp,
  type OrganisationEvaluation,
} from '../../core/index';

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const result = fn();
  return [result, performance.now() - t0];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Times `runs` calls after one warm-up; returns the median wall and CPU (user + system) milliseconds. */
function repeat(
  runs: number,
  fn: () => OrganisationEvaluation,
): { org: OrganisationEvaluation; wall: number; cpu: number } {
  let org = fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const c0 = process.cpuUsage();
    const [result, ms] = time(fn);
    const c = process.cpuUsage(c0);
    org = result;
    walls.push(ms);
    cpus.push((c.user + c.system) / 1000);
  }
  return { org, wall: median(walls), cpu: median(cpus) };
}

/** Runs the core benchmark and returns its figures (milliseconds unless named otherwise). */
export async function benchCore(): Promise<Record<string, number | string>> {
  const asOf = '2026-06-30';
  const [data, generateMs] = time(() => generateDemoOrg({ asOf, people: 100_000, historyQuarters: 14 }));
  const { employees, conversations } = data;
  const actions = conversations.reduce((n, c) => n + (c.actions?.length ?? 0), 0);
  const policy = PROFESSIONAL_CONVERSATION;
  const compliance = repeat(5, () =>
    evaluateOrganisation(policy, employees, conversations, asOf, { actions: false }),
  );
  const full = repeat(5, () => evaluateOrganisation(policy, employees, conversations, asOf));
  const org = full.org;
  const [, figuresMs] = time(() => groupFigures(org));
  const [, rollUpMs] = time(() => rollUp(org));
  const [gaps, listMs] = time(() => noConversationIn12Months(org));
  const [nudges, nudgeMs] = time(() => planNudges(org, new Set<string>()));
  await Promise.resolve();
  return {
    employees: employees.length,
    conversations: conversations.length,
    'action records': actions,
    'generate demo data (ms, not part of the figure)': Math.round(generateMs),
    'evaluate all: compliance, median of 5 (ms wall)': Math.round(compliance.wall),
    'evaluate all: compliance, median of 5 (ms CPU)': Math.round(compliance.cpu),
    'evaluate all: compliance + open-action counts (ms wall)': Math.round(full.wall),
    'evaluate all: compliance + open-action counts (ms CPU)': Math.round(full.cpu),
    'org figures: quarterly + rolling + counts (ms)': Math.round(figuresMs),
    'roll-up tree from the Chief Executive (ms)': Math.round(rollUpMs),
    'no conversation in 12 months list (ms)': Math.round(listMs),
    'people with no conversation in 12 months': gaps.length,
    'plan nudges (ms)': Math.round(nudgeMs),
    'nudges planned': nudges.length,
    'heap used (MB)': Math.round(process.memoryUsage().heapUsed / 1e6),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchCore();
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
}
