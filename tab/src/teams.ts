/**
 * The tab's link to its host (DESIGN.md §5 facts): starting teams-js quickly everywhere — at top
 * level `app.initialize()` rejects at once, but inside a foreign iframe it can hang for 60 s, so it
 * races a short timeout — and the Teams theme, SSO token and deep links.
 */
import { app, authentication } from '@microsoft/teams-js';

/** The page's theme, from Teams or the browser. */
export type Theme = 'default' | 'dark' | 'contrast';

/** Where the tab is running. */
export type Host = { readonly inTeams: true; readonly theme: Theme } | { readonly inTeams: false };

/** Initialises teams-js, or reports "not in Teams" within `timeoutMs`. */
export async function detectHost(timeoutMs = 1500): Promise<Host> {
  if (window.parent === window) return { inTeams: false };
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  try {
    const outcome = await Promise.race([app.initialize().then(() => 'ready' as const), timeout]);
    if (outcome === 'timeout') return { inTeams: false };
    const context = await app.getContext();
    return { inTeams: true, theme: asTheme(context.app.theme) };
  } catch {
    return { inTeams: false };
  }
}

/**
 * Applies a theme to the page and follows it: in Teams, the user's Teams theme and its live
 * changes; in a browser, `?theme=default|dark|contrast` (for tests and for a first paint without
 * a flash: Teams fills in a `{theme}` placeholder in the tab's URL) or else the system's
 * light/dark preference. `onChange` hears every change after the first.
 */
export function followTheme(host: Host, onChange: (theme: Theme) => void = () => undefined): void {
  let current: Theme | undefined;
  const apply = (theme: Theme) => {
    document.documentElement.setAttribute('data-theme', theme);
    if (current !== undefined && current !== theme) onChange(theme);
    current = theme;
  };
  if (host.inTeams) {
    apply(host.theme);
    app.registerOnThemeChangeHandler((theme) => apply(asTheme(theme)));
    return;
  }
  const asked = new URLSearchParams(window.location.search).get('theme');
  if (asked !== null) {
    apply(asTheme(asked));
    return;
  }
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  apply(dark.matches ? 'dark' : 'default');
  dark.addEventListener('change', (e) => apply(e.matches ? 'dark' : 'default'));
}

/** The user's Entra token for the service, from Teams SSO. */
export async function teamsToken(): Promise<string> {
  return authentication.getAuthToken();
}

/** Opens a Teams deep link (a chat) from inside Teams. */
export async function openInTeams(url: string): Promise<void> {
  await app.openLink(url);
}

function asTheme(value: string | null | undefined): Theme {
  return value === 'dark' ? 'dark' : value === 'contrast' ? 'contrast' : 'default';
}
