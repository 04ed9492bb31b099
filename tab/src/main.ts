/**
 * The tab's entry (DESIGN.md §4 Tab): detect Teams, follow its theme, sign in (Teams SSO, or the
 * development sign-in in a browser), read the caller's roles (`/api/me`) and show the views they
 * may see: My team (managers), Organisation (heads of service, OD), My conversations (everyone).
 *
 * URL parameters:
 * - `?view=team|organisation|conversations` opens that view; without it, `home` from `/api/me`.
 *   A configurable channel tab for the OD team uses `?view=organisation` as its content URL.
 * - `?mode=config` is that channel tab's configuration page (the manifest's `configurationUrl`).
 * - `&node=<id>` (organisation) opens that part of the hierarchy; drill-down links set it.
 * - `?theme=default|dark|contrast` outside Teams (tests, first paint); Teams' own theme wins inside.
 */
import { type MeResponse } from '../../core/tab-api';
import { Api, ApiFailure, type TokenSource, isAbort } from './api';
import { DevTokens, TeamsTokens } from './auth';
import { h, replaceChildren } from './dom';
import { showOrganisation } from './org-view';
import { pickDevUser } from './sign-in';
import { liveStatus } from './status';
import { showTeam } from './team-view';
import { type Host, type Theme, detectHost, followTheme } from './teams';
import { type Status, type ViewContext, type ViewName } from './view';

const VIEWS: Readonly<Record<ViewName, { label: string; show: (ctx: ViewContext) => Promise<void> }>> = {
  team: { label: 'My team', show: showTeam },
  organisation: { label: 'Organisation', show: showOrganisation },
  // The Adaptive Cards renderer is most of the bundle: loaded only when this view opens, so the
  // team and organisation views paint without it.
  conversations: {
    label: 'My conversations',
    show: async (ctx) => (await import('./conversations-view')).showConversations(ctx),
  },
};

/** The views a caller's roles allow, in the order the navigation lists them (DESIGN.md §6). */
export function viewsFor(me: MeResponse): ViewName[] {
  const views: ViewName[] = [];
  if (me.roles.manager) views.push('team');
  if (me.roles.headOfService || me.roles.od) views.push('organisation');
  views.push('conversations');
  return views;
}

function isViewName(value: string | null): value is ViewName {
  return value === 'team' || value === 'organisation' || value === 'conversations';
}

/** The page's fixed parts, from index.html. */
interface Shell {
  readonly title: HTMLElement;
  readonly account: HTMLElement;
  readonly nav: HTMLElement;
  readonly view: HTMLElement;
  readonly status: Status;
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found;
}

/** One signed-in session of the tab: the views, navigation and error handling. */
class Tab {
  private api: Api | undefined;
  private me: MeResponse | undefined;
  private current: AbortController | undefined;
  private themeListeners: ((theme: Theme) => void)[] = [];

  constructor(
    private readonly host: Host,
    private readonly shell: Shell,
  ) {
    window.addEventListener('popstate', () => void this.route(false));
    // Links marked data-nav stay in the page: same URL, no reload, and Back works.
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[data-nav]') : null;
      if (!(link instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      window.history.pushState(null, '', link.href);
      void this.route(true);
    });
  }

  /** The theme changed: views that draw colours themselves redraw. */
  themeChanged(theme: Theme): void {
    for (const listener of this.themeListeners) listener(theme);
  }

  /** Signs in, reads the caller, and shows the view the URL (or their home) asks for. */
  async start(notice?: string): Promise<void> {
    this.leaveView();
    this.api = undefined;
    this.me = undefined;
    replaceChildren(this.shell.nav);
    replaceChildren(this.shell.account);
    const tokens = await this.signIn(notice);
    if (tokens === null) return;
    this.api = new Api(tokens);
    this.shell.status.busy('Loading…');
    try {
      this.me = await this.api.get<MeResponse>('/api/me');
    } catch (error) {
      this.handle(error, 'your details', () => void this.start());
      return;
    }
    this.shell.status.clear();
    this.renderAccount(this.me);
    await this.route(false);
  }

  private async signIn(notice?: string): Promise<TokenSource | null> {
    if (this.host.inTeams) return new TeamsTokens();
    const stored = DevTokens.stored();
    if (stored !== null) return stored;
    this.shell.view.classList.remove('skeleton');
    this.shell.view.removeAttribute('aria-hidden');
    try {
      const picked = await pickDevUser(this.shell.view, this.shell.status, notice);
      if (picked !== 'production') return picked;
      replaceChildren(this.shell.view);
      this.shell.status.error(
        'This tab works inside Microsoft Teams: open Professional Conversations from the Teams app bar or your team channel.',
      );
    } catch {
      this.shell.status.error(
        'The service could not be reached. Check your connection and try again.',
        () => {
          void this.start();
        },
      );
    }
    return null;
  }

  private renderAccount(me: MeResponse): void {
    this.shell.title.textContent = me.policyName;
    document.title = `${me.policyName} – Professional Conversations`;
    replaceChildren(
      this.shell.account,
      h('span', { 'data-testid': 'signed-in-as' }, `Signed in as ${me.name}`),
      !this.host.inTeams &&
        h(
          'button',
          {
            type: 'button',
            class: 'button link-button',
            'data-testid': 'switch-user',
            on: {
              click: () => {
                DevTokens.forget();
                void this.start();
              },
            },
          },
          'Switch user',
        ),
    );
  }

  private renderNav(views: readonly ViewName[], current: ViewName): void {
    replaceChildren(
      this.shell.nav,
      h(
        'ul',
        {},
        ...views.map((name) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: viewHref(name),
                'data-nav': '',
                'data-testid': `nav-${name}`,
                'aria-current': name === current ? 'page' : null,
              },
              VIEWS[name].label,
            ),
          ),
        ),
      ),
    );
  }

  /** Shows the view in the URL; `moved` when the user navigated (focus then goes to the view). */
  private async route(moved: boolean): Promise<void> {
    const api = this.api;
    const me = this.me;
    if (api === undefined || me === undefined) return;
    const allowed = viewsFor(me);
    const params = new URLSearchParams(window.location.search);
    const asked = params.get('view');
    const name: ViewName = isViewName(asked) ? asked : allowed.includes(me.home) ? me.home : 'conversations';
    this.renderNav(allowed, name);

    const controller = this.leaveView();
    const root = h('section', { class: 'view', 'data-testid': `view-${name}` });
    this.shell.view.classList.remove('skeleton');
    this.shell.view.removeAttribute('aria-hidden');
    replaceChildren(this.shell.view, root);
    this.shell.status.clear();
    if (!allowed.includes(name)) {
      replaceChildren(root, h('h2', { class: 'view-title' }, VIEWS[name].label));
      this.shell.status.error(noAccess);
      return;
    }
    const ctx: ViewContext = {
      api,
      host: this.host,
      me,
      root,
      params,
      signal: controller.signal,
      status: this.shell.status,
      fail: (error, what, retry) => {
        if (!controller.signal.aborted) this.handle(error, what, retry);
      },
      onTheme: (listener) => this.themeListeners.push(listener),
    };
    try {
      await VIEWS[name].show(ctx);
    } catch (error) {
      ctx.fail(error, VIEWS[name].label, () => void this.route(false));
      return;
    }
    if (moved && !controller.signal.aborted) {
      const target = root.querySelector<HTMLElement>(params.has('node') ? '.node-name' : '.view-title');
      target?.focus();
    }
  }

  /** Cancels the current view's requests and listeners; returns the next view's controller. */
  private leaveView(): AbortController {
    this.current?.abort();
    this.themeListeners = [];
    this.current = new AbortController();
    return this.current;
  }

  /** Shows an error the user can act on: sign in again (401), no access (403), or try again. */
  private handle(error: unknown, what: string, retry?: () => void): void {
    if (isAbort(error)) return;
    if (error instanceof ApiFailure && error.status === 401) {
      if (!this.host.inTeams) {
        DevTokens.forget();
        void this.start('Your sign-in has ended. Sign in again.');
        return;
      }
      this.shell.status.error(
        'Teams could not sign you in to this tab. Close the tab and open it again; if this keeps happening, contact your IT service desk.',
        retry,
      );
      return;
    }
    if (error instanceof ApiFailure && error.status === 403) {
      this.shell.status.error(noAccess);
      return;
    }
    if (error instanceof ApiFailure && error.status === 404) {
      this.shell.status.error(`We could not find ${what}. It may have moved or been removed.`);
      return;
    }
    if (error instanceof ApiFailure && error.status === 0) {
      this.shell.status.error(
        'The service could not be reached. Check your connection and try again.',
        retry,
      );
      return;
    }
    console.error('tab: failed', what, error instanceof ApiFailure ? error.status : error);
    this.shell.status.error(`Something went wrong loading ${what}. Try again in a moment.`, retry);
  }
}

const noAccess = 'You do not have access to this view.';

/** A view's URL: the current one with `view` set and view-specific parameters dropped. */
function viewHref(name: ViewName): string {
  const url = new URL(window.location.href);
  url.searchParams.set('view', name);
  url.searchParams.delete('node');
  return `${url.pathname}${url.search}`;
}

async function main(): Promise<void> {
  const status = liveStatus(element('live'));
  const shell: Shell = {
    title: element('app-title'),
    account: element('account'),
    nav: element('nav'),
    view: element('view'),
    status,
  };
  const host = await detectHost();
  if (new URLSearchParams(window.location.search).get('mode') === 'config') {
    (await import('./config-page')).showConfigPage(host, shell.view);
    return;
  }
  const tab = new Tab(host, shell);
  followTheme(host, (theme) => tab.themeChanged(theme));
  await tab.start();
}

void main();
