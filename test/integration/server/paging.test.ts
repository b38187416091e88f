// Every list is paged like the key list (`limit`, `cursor`, `next_cursor`), on the real server and
// store (SQLite, and PostgreSQL in that project): subaccounts, agents and a key's events, page by
// page in a stable order, through raw HTTP and the SDK's iterators.
import { afterEach, describe, expect, it } from 'vitest';
import { admin } from '../../support/engine';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** Every page of `path` at `limit` a page, as a client walks them: the items' `field`, per page. */
async function walk(fixture: ServerFixture, path: string, limit: number, field: string): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await fetch(`${fixture.url}${path}${query}`, {
      headers: { authorization: `Bearer ${fixture.adminKey}` },
    });
    expect(answer.status).toBe(200);
    const page = (await answer.json()) as { data: Record<string, unknown>[]; next_cursor: string | null };
    pages.push(page.data.map((item) => item[field]));
    cursor = page.next_cursor;
  } while (cursor);
  return pages;
}

describe('paged lists', () => {
  it('pages subaccounts by name, agents oldest first, and a key’s events oldest first, even after a delete', async () => {
    s = await startTestServer();
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo'])
      await s.engine.createSubaccount(s.rootId, { name });
    expect(await walk(s, '/v1/accounts/me/subaccounts', 2, 'name')).toEqual([
      ['Bravo', 'Charlie'],
      ['Delta', 'Echo'],
      ['alpha'],
    ]);
    for (const name of ['Support bot', 'Billing bot', 'Deploy bot']) {
      await s.engine.createAgent(s.rootId, { name });
      s.clock.advance(1000);
    }
    expect(await walk(s, '/v1/accounts/me/agents', 2, 'name')).toEqual([
      ['Support bot', 'Billing bot'],
      ['Deploy bot'],
    ]);

    const { key } = await s.engine.createKey(s.rootId, { label: 'worker 0' }, admin);
    for (let i = 1; i <= 3; i++) await s.engine.updateKey(null, key.id, { label: `worker ${i}` }, admin);
    await s.engine.revokeKey(null, key.id, admin);
    await s.engine.deleteKey(null, key.id, admin);
    const events = await walk(s, `/v1/accounts/me/api-keys/${key.id}/events`, 4, 'type');
    expect(events).toEqual([
      ['created', 'edited', 'edited', 'edited'],
      ['revoked', 'deleted'],
    ]);

    // The SDK walks them all, whatever the page size.
    const client = s.client();
    expect((await client.accounts.subaccounts()).map((account) => account.name)).toEqual([
      'Bravo',
      'Charlie',
      'Delta',
      'Echo',
      'alpha',
    ]);
    expect((await client.agents.list()).map((agent) => agent.name)).toEqual([
      'Support bot',
      'Billing bot',
      'Deploy bot',
    ]);
    expect(await client.apiKeys.events('me', key.id)).toHaveLength(6);
  });

  it('refuses a cursor that is not one, or of another list, and a limit out of range, naming the field', async () => {
    s = await startTestServer();
    await s.engine.createAgent(s.rootId, { name: 'One' });
    await s.engine.createAgent(s.rootId, { name: 'Two' });
    const client = s.client();
    const agentCursor = (await client.agents.page('me', { limit: 1 })).next_cursor as string;
    expect(agentCursor).toBeTruthy();
    const refusals = [
      () => client.accounts.subaccountsPage('me', { cursor: agentCursor }), // an agent's place, not an account's
      () => client.accounts.subaccountsPage('me', { cursor: 'not-a-cursor' }),
      () => client.agents.page('me', { limit: 0 }),
      () => client.agents.page('me', { limit: 1001 }),
    ];
    const params = [];
    for (const refused of refusals) {
      const error = (await refused().catch((caught: unknown) => caught)) as { status: number; param: string };
      expect(error.status).toBe(400);
      params.push(error.param);
    }
    expect(params).toEqual(['cursor', 'cursor', 'limit', 'limit']);
  });
});
