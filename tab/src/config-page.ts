/**
 * The configuration page of the OD team's channel tab (`/?mode=config` in the manifest's
 * `configurationUrl`): Teams shows it when the tab is added to a channel; saving points the tab at
 * the Organisation view. Outside Teams it only explains what it is for.
 */
import { pages } from '@microsoft/teams-js';
import { h, replaceChildren } from './dom';
import { type Host } from './teams';

/** Shows the configuration page and, in Teams, registers what Save does. */
export function showConfigPage(host: Host, root: HTMLElement): void {
  replaceChildren(
    root,
    h('h2', { class: 'view-title' }, 'Compliance for the organisation'),
    h(
      'p',
      {},
      'This tab shows the Organisation view — completion from the Chief Executive down, the heat map and the overdue lists — to members of the channel who may see the whole organisation (the team that monitors conversations). Others see a message that the view is not theirs.',
    ),
  );
  if (!host.inTeams) return;
  pages.config.registerOnSaveHandler((save) => {
    const origin = window.location.origin;
    pages.config
      .setConfig({
        entityId: 'organisation',
        contentUrl: `${origin}/?view=organisation`,
        websiteUrl: `${origin}/?view=organisation`,
        suggestedDisplayName: 'Compliance',
      })
      .then(
        () => save.notifySuccess(),
        () => save.notifyFailure('The tab could not be saved. Try again.'),
      );
  });
  pages.config.setValidityState(true);
}
