/**
 * Renders a record card (the copy the bot sent) with the Adaptive Cards renderer, read-only: the
 * tab cannot run the card's actions (they belong to the chat), so interactivity is off and the
 * action bar is not drawn. Colours come from the page's theme variables.
 */
import * as AdaptiveCards from 'adaptivecards';

/** The theme colours the host config is built from (CSS variables in app.css). */
function palette() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', '#242424'),
    muted: read('--muted', '#616161'),
    accent: read('--link', '#4f52b2'),
    good: read('--good-fg', '#0e700e'),
    warning: read('--warn-fg', '#8a3707'),
    attention: read('--bad-fg', '#b10e1c'),
    surface: read('--card-bg', '#ffffff'),
    emphasis: read('--surface', '#f5f5f5'),
    goodBg: read('--good-bg', '#f1faf1'),
    warnBg: read('--warn-bg', '#fff9f5'),
    badBg: read('--bad-bg', '#fdf3f4'),
    border: read('--border', '#d1d1d1'),
    font: read('--font', "'Segoe UI', system-ui, sans-serif"),
  };
}

function hostConfig(): AdaptiveCards.HostConfig {
  const p = palette();
  const colours = (fg: string) => ({ default: fg, subtle: fg });
  const foreground = {
    default: { default: p.fg, subtle: p.muted },
    dark: colours(p.fg),
    light: colours(p.muted),
    accent: colours(p.accent),
    good: colours(p.good),
    warning: colours(p.warning),
    attention: colours(p.attention),
  };
  const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: foreground });
  return new AdaptiveCards.HostConfig({
    supportsInteractivity: false,
    fontFamily: p.font,
    separator: { lineThickness: 1, lineColor: p.border },
    containerStyles: {
      default: style(p.surface),
      emphasis: style(p.emphasis),
      accent: style(p.emphasis),
      good: style(p.goodBg),
      warning: style(p.warnBg),
      attention: style(p.badBg),
    },
  });
}

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The small part of Markdown the bot's cards use — `**bold**`, `_italic_` and `- ` bullets — on
 * text escaped first, so note text can never become markup.
 */
export function markdownToHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => escapes[c] ?? c)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,;:!?])/g, '$1<em>$2</em>')
    .split('\n')
    .map((line) => line.replace(/^\s*[-*] /, '• '))
    .join('<br>');
}

let markdownInstalled = false;

/** Renders a card; null when the renderer cannot draw it. */
export function renderCard(json: Record<string, unknown>): HTMLElement | null {
  if (!markdownInstalled) {
    AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = markdownToHtml(text);
      result.didProcess = true;
    };
    markdownInstalled = true;
  }
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = hostConfig();
  // Nothing on the card runs in the tab; acting on it happens in the chat.
  card.onExecuteAction = () => undefined;
  card.parse(json);
  return card.render() ?? null;
}

/** True when a card has buttons or inputs (a note then says to act in the chat). */
export function hasActions(json: Record<string, unknown>): boolean {
  const actions = json.actions;
  if (Array.isArray(actions) && actions.length > 0) return true;
  return JSON.stringify(json.body ?? []).includes('"Input.');
}
