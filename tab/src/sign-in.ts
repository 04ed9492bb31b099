/**
 * The development sign-in (outside Teams only): pick a demo person from `/api/dev/users`. In
 * production that route does not exist (404), and the tab says it must be opened in Teams.
 */
import { type DevUser } from '../../core/tab-api';
import { type DevTokens, devSignIn, devUsers } from './auth';
import { h, replaceChildren } from './dom';
import { type Status } from './view';

/** Shows the picker in `root`; resolves with the token, or `production` when there is no dev sign-in. */
export async function pickDevUser(
  root: HTMLElement,
  status: Status,
  notice?: string,
): Promise<DevTokens | 'production'> {
  status.busy('Loading the sign-in…');
  const users = await devUsers();
  if (users === 'production') return 'production';
  if (notice === undefined) status.clear();
  else status.error(notice);
  return new Promise((resolve) => {
    const select = h(
      'select',
      { id: 'dev-user', class: 'select', 'data-testid': 'dev-user-picker', required: true },
      ...users.map((u: DevUser) => h('option', { value: u.id }, `${u.name} (${u.role})`)),
    );
    const form = h(
      'form',
      { class: 'sign-in', 'data-testid': 'dev-sign-in-form' },
      h('label', { for: 'dev-user' }, 'Sign in as (development)'),
      h(
        'div',
        { class: 'toolbar' },
        select,
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'dev-sign-in' }, 'Sign in'),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      status.busy('Signing in…');
      devSignIn(select.value).then(resolve, () =>
        status.error(
          'Signing in did not work. Check that the service is running in development mode and try again.',
        ),
      );
    });
    replaceChildren(
      root,
      h('h2', { class: 'view-title', tabindex: -1 }, 'Sign in'),
      h(
        'p',
        {},
        'This is the development sign-in: it exists only when the service runs locally. In production the tab opens inside Microsoft Teams and signs you in itself.',
      ),
      form,
    );
    select.focus();
  });
}
