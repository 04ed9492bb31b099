/**
 * Starting teams-js quickly everywhere (DESIGN.md §5 facts): at top level `app.initialize()`
 * rejects at once, but inside a foreign iframe it can hang for 60 s, so it races a short timeout.
 */
import { app } from '@microsoft/teams-js';

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

/** Applies a theme to the page and follows Teams when the user changes it. */
export function followTheme(host: Host): void {
  const apply = (theme: Theme) => document.documentElement.setAttribute('data-theme', theme);
  if (host.inTeams) {
    apply(host.theme);
    app.registerOnThemeChangeHandler((theme) => apply(asTheme(theme)));
  } else {
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    apply(dark.matches ? 'dark' : 'default');
    dark.addEventListener('change', (e) => apply(e.matches ? 'dark' : 'default'));
  }
}

function asTheme(value: string | undefined): Theme {
  return value === 'dark' ? 'dark' : value === 'contrast' ? 'contrast' : 'default';
}
