/**
 * My conversations (DESIGN.md §4 Tab, §6): the caller's own conversations, newest first; a held
 * one shows its record card as the bot sent it. Acting on a card (acknowledging, commenting)
 * happens in the chat, so the card is shown read-only.
 */
import { type MyConversation, type MyConversationsResponse } from '../../core/tab-api';
import { hasActions, renderCard } from './cards';
import { h, replaceChildren, uniqueId } from './dom';
import { count, dateKey, formatDate } from './format';
import { type ViewContext } from './view';

const STATUS_WORDS: Readonly<Record<MyConversation['status'], string>> = {
  completed: 'Held',
  scheduled: 'Booked',
  cancelled: 'Cancelled',
};

const STATUS_BADGE: Readonly<Record<MyConversation['status'], string>> = {
  completed: 'badge badge--on-track',
  scheduled: 'badge badge--induction',
  cancelled: 'badge badge--unknown',
};

/** Renders the caller's conversations into `ctx.root`. */
export async function showConversations(ctx: ViewContext): Promise<void> {
  const title = h('h2', { class: 'view-title', tabindex: -1 }, 'My conversations');
  replaceChildren(ctx.root, title);
  ctx.status.busy('Loading your conversations…');
  ctx.root.setAttribute('aria-busy', 'true');
  let answer: MyConversationsResponse;
  try {
    answer = await ctx.api.get<MyConversationsResponse>('/api/conversations', {}, ctx.signal);
  } finally {
    ctx.root.removeAttribute('aria-busy');
  }
  const newestFirst = [...answer.conversations].sort((a, b) => dateKey(b.date) - dateKey(a.date));
  const items = newestFirst.map((c) => conversationItem(c));
  replaceChildren(
    ctx.root,
    title,
    h(
      'p',
      { class: 'muted' },
      'Your own conversations, newest first. To acknowledge a record or add comments, open it in your chat with the bot.',
    ),
    newestFirst.length === 0
      ? h('p', {}, 'You have no conversations on record yet.')
      : h('ol', { class: 'conversations' }, ...items.map((i) => i.element)),
  );
  const drawCards = () => {
    for (const item of items) item.draw();
  };
  drawCards();
  ctx.onTheme(drawCards);
  ctx.status.say(`${count(newestFirst.length, 'conversation', 'conversations')}.`);
}

function conversationItem(c: MyConversation): { element: HTMLLIElement; draw: () => void } {
  const headingId = uniqueId('conversation');
  const cardBox = h('div', { class: 'card-box' });
  const card = c.status === 'completed' ? c.card : null;
  const element = h(
    'li',
    { 'data-conversation-id': c.id },
    h(
      'article',
      { class: 'conversation', 'aria-labelledby': headingId },
      h(
        'div',
        { class: 'conversation-head' },
        h('h3', { id: headingId }, `${c.type}, ${formatDate(c.date)}`),
        h('span', { class: STATUS_BADGE[c.status] }, STATUS_WORDS[c.status]),
      ),
      card !== null && cardBox,
      card !== null &&
        hasActions(card) &&
        h('p', { class: 'muted small' }, 'To act on this record, open it in your chat with the bot.'),
    ),
  );
  const draw = () => {
    if (card === null) return;
    let rendered: HTMLElement | null;
    try {
      rendered = renderCard(card);
    } catch (error) {
      // A card the renderer rejects is said so in the page; the record itself is in the chat.
      console.warn('tab: record card not rendered', error instanceof Error ? error.name : 'unknown');
      rendered = null;
    }
    replaceChildren(
      cardBox,
      rendered === null
        ? h('p', { class: 'muted' }, 'This record cannot be shown here; open it in your chat with the bot.')
        : h('div', { class: 'conversation-card', 'data-testid': 'conversation-card' }, rendered),
    );
  };
  return { element, draw };
}
