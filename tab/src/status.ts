/** The page's live region (`#live`, `aria-live="polite"`): loading, results and errors. */
import { h, replaceChildren } from './dom';
import { type Status } from './view';

/** Reports through `region`, which must be in the page from the first paint to be announced. */
export function liveStatus(region: HTMLElement): Status {
  return {
    busy: (text) => replaceChildren(region, h('p', { class: 'loading' }, text)),
    say: (text) => replaceChildren(region, h('p', { class: 'said' }, text)),
    error: (text, retry) =>
      replaceChildren(
        region,
        h(
          'div',
          { class: 'error', 'data-testid': 'error' },
          h('p', {}, text),
          retry &&
            h(
              'button',
              {
                type: 'button',
                class: 'button',
                on: {
                  click: () => {
                    replaceChildren(region);
                    retry();
                  },
                },
              },
              'Try again',
            ),
        ),
      ),
    clear: () => replaceChildren(region),
  };
}
