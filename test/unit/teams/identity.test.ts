import { checkTeamsIdentity, teamsTenantId } from '../../../bot/teams/approvers';

const TENANT = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
const base = {
  channelId: 'msteams',
  from: { id: '29:1abc', name: 'Alice', aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000001' },
  conversation: { id: '19:x@thread.tacv2', tenantId: TENANT.toLowerCase() },
  channelData: { tenant: { id: TENANT } },
};
type Shape = Parameters<typeof checkTeamsIdentity>[0];

describe('issue 14 row 7: Teams approver identity (the check itself)', () => {
  test('an msteams activity of the tenant, with an AAD object id, is accepted; tenant ids compare case-insensitively', () => {
    expect(checkTeamsIdentity(base as Shape, TENANT)).toEqual({
      ok: true,
      aad_object_id: base.from.aadObjectId,
      display_name: 'Alice',
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['Bot Framework Web Chat', { channelId: 'webchat' }, /channel webchat/],
    ['a sub-channel id', { channelId: 'msteams:COPILOT' }, /channel msteams:COPILOT/],
    ['no channel id', { channelId: undefined }, /channel none/],
    ['from.id only', { from: { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'M' } }, /no AAD object id/],
    ['a blank AAD object id', { from: { id: '29:1abc', aadObjectId: '   ' } }, /no AAD object id/],
    [
      'another tenant in both places',
      { conversation: { id: 'c', tenantId: 'evil' }, channelData: { tenant: { id: 'evil' } } },
      /another tenant \(evil\)/,
    ],
    [
      'the tenant only in channelData, and wrong',
      { conversation: { id: 'c' }, channelData: { tenant: { id: 'x' } } },
      /another tenant/,
    ],
    ['no tenant at all', { conversation: { id: 'c' }, channelData: undefined }, /names no tenant/],
    [
      'a tenant that is not a string',
      { conversation: { id: 'c' }, channelData: { tenant: { id: 42 } } },
      /names no tenant/,
    ],
  ])('%s is refused with the reason', (_name, patch, reason) => {
    const r = checkTeamsIdentity({ ...base, ...patch } as Shape, TENANT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  test('without a configured tenant nobody may decide, and the caller is named for the record', () => {
    const r = checkTeamsIdentity(base as Shape, '');
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/no Teams tenant is configured/) });
    if (!r.ok) expect(r.caller.label).toBe(`29:1abc (Alice) aad=${base.from.aadObjectId}`);
  });

  test('the tenant is TEAMS_TENANT_ID, else the bot app tenant', () => {
    expect(teamsTenantId({ TEAMS_TENANT_ID: 't1', MicrosoftAppTenantId: 't2' })).toBe('t1');
    expect(teamsTenantId({ TEAMS_TENANT_ID: '', MicrosoftAppTenantId: 't2' })).toBe('t2');
    expect(teamsTenantId({ TEAMS_TENANT_ID: '', MicrosoftAppTenantId: '' })).toBe('');
  });
});
