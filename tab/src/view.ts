/** What a view (My team, Organisation, My conversations) is given by the tab, and shared parts. */
import { type MeResponse } from '../../core/tab-api';
import { type Api } from './api';
import { h, replaceChildren, uniqueId } from './dom';
import { type Host, type Theme } from './teams';

/** The tab's views, named as in `?view=` and `MeResponse.home`. */
export type ViewName = 'team' | 'organisation' | 'conversations';

/** The live region (`aria-live="polite"`) that reports loading, results and errors. */
export interface Status {
  /** "Loading …" while a request runs. */
  busy(text: string): void;
  /** A short result to announce ("Downloaded team.csv"). */
  say(text: string): void;
  /** An error message, with a Try again button when `retry` is given. */
  error(text: string, retry?: () => void): void;
  clear(): void;
}

/** Everything a view needs; it imports no singletons (STYLE.md rule 2). */
export interface ViewContext {
  readonly api: Api;
  readonly host: Host;
  readonly me: MeResponse;
  /** The view's section, emptied for it. */
  readonly root: HTMLElement;
  /** The view's part of the URL (e.g. `node`). */
  readonly params: URLSearchParams;
  /** Aborted when the user leaves the view: cancel requests and observers with it. */
  readonly signal: AbortSignal;
  readonly status: Status;
  /** Hands an error from a later action (a picker, a button) to the tab's error handling. */
  fail(error: unknown, what: string, retry?: () => void): void;
  /** Calls `listener` when the theme changes while this view is shown. */
  onTheme(listener: (theme: Theme) => void): void;
}

/** A button that runs an async action, disabled while it runs so it cannot be pressed twice. */
export function actionButton(
  label: string | Node,
  run: () => Promise<void>,
  props: Readonly<Record<string, string>> = {},
): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button', ...props }, label);
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    void run().finally(() => button.removeAttribute('aria-disabled'));
  });
  return button;
}

/** A table in a horizontally scrollable, keyboard-focusable region named by its caption. */
export function scrollingTable(table: HTMLTableElement, captionId: string): HTMLDivElement {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 }, table);
}

/** A big figure: a label, the number, and its detail (`9 of 12`). */
export function statFigure(label: string, value: string, detail: string, testId?: string): HTMLDivElement {
  return h(
    'div',
    { class: 'figure' },
    h('p', { class: 'figure-label' }, label),
    h('p', { class: 'figure-value', 'data-testid': testId }, value),
    h('p', { class: 'figure-detail' }, detail),
  );
}

/** A quarter picker: its labelled field, and the hint saying what follows the quarter (described-by). */
export interface QuarterField {
  readonly picker: HTMLSelectElement;
  readonly field: HTMLDivElement;
  readonly hint: HTMLParagraphElement;
  /** Lists `quarters` newest first (the one wanted is nearly always recent) and selects `selected`. */
  fill(quarters: readonly string[], selected: string): void;
}

export function quarterField(testId: string, hintText: string): QuarterField {
  const pickerId = uniqueId('quarter');
  const hintId = uniqueId('quarter-hint');
  const picker = h('select', {
    id: pickerId,
    class: 'select',
    'data-testid': testId,
    'aria-describedby': hintId,
  });
  return {
    picker,
    field: h('div', { class: 'field' }, h('label', { for: pickerId }, 'Quarter'), picker),
    hint: h('p', { id: hintId, class: 'muted', 'data-testid': 'quarter-hint' }, hintText),
    fill(quarters, selected) {
      const current = quarters[quarters.length - 1];
      replaceChildren(
        picker,
        ...[...quarters]
          .reverse()
          .map((q) => h('option', { value: q }, q === current ? `${q} (current)` : q)),
      );
      picker.value = selected;
    },
  };
}
