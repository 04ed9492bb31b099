/**
 * Paging through continuation tokens, including empty pages. Azure Tables may answer a query
 * with no rows and a continuation token (DESIGN.md §7); Azurite never does, so a small local
 * server speaking the Table service's query protocol stands in for one such answer.
 */
import { strict as assert } from 'node:assert';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import express from 'express';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../bot/dev/azurite';
import { listen } from '../bot/listen';
import { TeamTable } from '../bot/storage/team-table';

describe('table paging', () => {
  it('follows continuation tokens across an empty page to the rows after it', async () => {
    const requests: string[] = [];
    const app = express();
    app.get(/.*/, (req, res) => {
      requests.push(req.url);
      const page = typeof req.query.NextPartitionKey === 'string' ? Number(req.query.NextRowKey) : 0;
      res.setHeader('content-type', 'application/json;odata=minimalmetadata');
      if (page < 2) {
        res.setHeader('x-ms-continuation-NextPartitionKey', 'm1');
        res.setHeader('x-ms-continuation-NextRowKey', String(page + 1));
      }
      // Page 0 has one team page, page 1 is empty (with a token), page 2 has the other two.
      const teamPages = page === 0 ? [['e1']] : page === 1 ? [] : [['e2'], ['e3']];
      res.json({
        value: teamPages.map((ids, k) => ({
          PartitionKey: 'm1',
          RowKey: `~p000${page + k}`,
          rows: ids.length,
          c0: JSON.stringify(
            ids.map((id) => ({
              id,
              person: { name: `Person ${id}`, startDate: '2020-01-01', hr: '{}' },
              path: [],
              held: [],
              dirty: false,
              version: 'v1',
            })),
          ),
        })),
      });
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const client = new TableClient(
        `http://127.0.0.1:${server.port}/${DEV_ACCOUNT}`,
        'team',
        new AzureNamedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY),
        { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
      );
      const team: string[] = [];
      for await (const row of new TeamTable(client).all()) team.push(row.employee.id);
      assert.deepEqual(team, ['e1', 'e2', 'e3']);
      assert.equal(requests.length, 3, 'three pages were requested');
      assert.match(requests[2]!, /NextRowKey=2/);
    } finally {
      await server.close();
    }
  });
});
