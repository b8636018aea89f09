import { createWorkflowStore } from '../../../pipeline/state';
import { makeIncident, makeRuntime, stateWith, type TestRuntime } from './support';

let rt: TestRuntime & { advance(ms: number): void };
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(async () => {
  await rt.aws.close();
});

describe('workflow-state store (dynalite)', () => {
  it('saves and reads back an incident state with its status, keeping created_at', async () => {
    const store = createWorkflowStore(rt);
    const state = stateWith(makeIncident(), 0.7);
    const first = await store.saveState(state, { status: 'analyzing' });
    rt.advance(1000);
    const second = await store.saveState(state, { status: 'open' });
    expect(second.created_at).toBe(first.created_at);
    expect(second.updated_at > first.updated_at).toBe(true);
    const back = await store.getRecord(state.incident.incident_id);
    expect(back?.status).toBe('open');
    expect(back?.state).toEqual(state);
    expect(await store.getState('inc-does-not-exist')).toBeUndefined();
  });

  it('stores the TTL as epoch seconds 30 days out', async () => {
    const store = createWorkflowStore(rt);
    const state = stateWith(makeIncident(), 0.7);
    await store.saveState(state);
    const item = await rt.aws.dynamo.get('workflow_state', {
      workflow_id: state.incident.incident_id,
      timestamp: 'STATE',
    });
    const expected = Math.floor(rt.now().getTime() / 1000) + 30 * 86400;
    expect(Math.abs(Number(item?.expires_at) - expected)).toBeLessThan(5);
  });

  it('lists open incidents newest first and leaves closed ones out', async () => {
    const store = createWorkflowStore(rt);
    const a = stateWith(makeIncident(), 0.7);
    const b = stateWith(makeIncident(), 0.7);
    const c = stateWith(makeIncident(), 0.7);
    await store.saveState(a, { status: 'open' });
    rt.advance(1000);
    await store.saveState(b, { status: 'awaiting_approval' });
    rt.advance(1000);
    await store.saveState(c, { status: 'resolved' });
    const open = await store.listOpen(50);
    const ids = open.map((r) => r.incident_id);
    expect(ids).toContain(a.incident.incident_id);
    expect(ids).toContain(b.incident.incident_id);
    expect(ids).not.toContain(c.incident.incident_id);
    expect(ids.indexOf(b.incident.incident_id)).toBeLessThan(ids.indexOf(a.incident.incident_id));
    expect(await store.listOpen(1)).toHaveLength(1);
  });

  it('maps a chat message back to its incident and lists the incident’s cards', async () => {
    const store = createWorkflowStore(rt);
    const s = stateWith(makeIncident(), 0.7);
    await store.addChatRef(s.incident.incident_id, { surface: 'slack', channel: 'C1', message_id: '123.45' });
    await store.addChatRef(s.incident.incident_id, {
      surface: 'teams',
      channel: 'conv-1',
      message_id: 'act-9',
    });
    expect(await store.findIncidentByChatRef('slack', 'C1', '123.45')).toBe(s.incident.incident_id);
    expect(await store.findIncidentByChatRef('slack', 'C1', '999.99')).toBeUndefined();
    const refs = await store.getChatRefs(s.incident.incident_id);
    expect(refs).toEqual([
      { surface: 'slack', channel: 'C1', message_id: '123.45' },
      { surface: 'teams', channel: 'conv-1', message_id: 'act-9' },
    ]);
  });

  it('keeps a history of entries in time order', async () => {
    const store = createWorkflowStore(rt);
    const id = makeIncident().incident_id;
    await store.addHistory(id, { at: rt.now().toISOString(), event: 'first' });
    rt.advance(5);
    await store.addHistory(id, { at: rt.now().toISOString(), event: 'second', actor: 'slack:U1' });
    expect((await store.getHistory(id)).map((h) => h.event)).toEqual(['first', 'second']);
  });
});
