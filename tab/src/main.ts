/** The tab's entry: detect Teams, follow its theme, and say what this tab will show. */
import { detectHost, followTheme } from './teams';

const status = document.getElementById('status');

void detectHost().then((host) => {
  followTheme(host);
  if (status) {
    status.textContent = host.inTeams
      ? 'Compliance views for managers, heads of service and the OD team are on their way to this tab.'
      : 'Open this tab inside Microsoft Teams. The compliance views are on their way.';
  }
});
