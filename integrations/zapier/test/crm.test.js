'use strict';

// The integration run by zapier-platform-core's app tester against a running CRM (CRM_BASE_URL, CRM_API_KEY: an admin
// key, CRM_REP_API_KEY: a rep's), started by Crm.Tests' ZapierIntegrationTests. REST hooks are received by a small
// server here on 127.0.0.1, which the CRM under test allows as a webhook target.
const http = require('node:http');
const zapier = require('zapier-platform-core');
const App = require('../index');

const appTester = zapier.createAppTester(App);
const authData = { baseUrl: process.env.CRM_BASE_URL, apiKey: process.env.CRM_API_KEY };
const run = `${Date.now()}`;

const api = async (path, options = {}) => {
  const response = await fetch(`${authData.baseUrl}${path}`, {
    ...options,
    headers: { Authorization: `Bearer ${authData.apiKey}`, 'Content-Type': 'application/json', ...(options.headers || {}) },
  });
  if (!response.ok) throw new Error(`${options.method || 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
};

const waitFor = async (check, ms = 30000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const found = await check();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('timed out waiting');
};

beforeAll(() => {
  if (!authData.baseUrl || !authData.apiKey) throw new Error('Set CRM_BASE_URL and CRM_API_KEY (Crm.Tests does).');
});

describe('authentication', () => {
  test('an admin key connects', async () => {
    await appTester(App.authentication.test, { authData });
  });

  test("a rep's key is refused at connection time", async () => {
    await expect(appTester(App.authentication.test, { authData: { ...authData, apiKey: process.env.CRM_REP_API_KEY } })).rejects.toThrow(/admin/i);
  });

  test('a wrong key asks to reconnect', async () => {
    await expect(appTester(App.authentication.test, { authData: { ...authData, apiKey: 'crm_0000000000_wrong' } })).rejects.toThrow(/reconnect/i);
  });
});

describe('actions and searches', () => {
  test('create or update contact: created once, then updated in place, and found by email', async () => {
    const email = `grace.${run}@zapier.example`;
    const created = await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email, firstName: 'Grace' } });
    expect(created.created).toBe(true);
    const updated = await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: email.toUpperCase(), jobTitle: 'Rear Admiral', firstName: '' } });
    expect(updated.created).toBe(false);
    expect(updated.id).toBe(created.id);
    expect(updated.firstName).toBe('Grace');
    expect(updated.jobTitle).toBe('Rear Admiral');

    const found = await appTester(App.searches.find_contact.operation.perform, { authData, inputData: { email } });
    expect(found.map((c) => c.id)).toEqual([created.id]);
    expect(await appTester(App.searches.find_contact.operation.perform, { authData, inputData: { email: `nobody.${run}@zapier.example` } })).toEqual([]);
  });

  test('find account by domain, written any way a person types it', async () => {
    const domain = `engines-${run}.example`;
    const account = await api('/api/v1/accounts', { method: 'POST', body: JSON.stringify({ name: `Engines ${run}`, domain }) });
    const found = await appTester(App.searches.find_account.operation.perform, { authData, inputData: { domain: `https://www.${domain}/about` } });
    expect(found.map((a) => a.id)).toEqual([account.id]);
  });

  test('create a deal with a contact, and log a note and a call on the contact', async () => {
    const contact = await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: `deal.${run}@zapier.example`, firstName: 'Ada' } });
    const deal = await appTester(App.creates.create_deal.operation.perform, { authData, inputData: { name: `Engine ${run}`, amount: 5000, contactId: contact.id } });
    expect(deal.name).toBe(`Engine ${run}`);
    const note = await appTester(App.creates.log_activity.operation.perform, { authData, inputData: { type: 'note', contactId: contact.id, text: 'Met at the Royal Society' } });
    const call = await appTester(App.creates.log_activity.operation.perform, { authData, inputData: { type: 'call', contactId: contact.id, text: 'Discussed the proposal' } });
    expect(note.type).toBe('note');
    expect(call.type).toBe('call');
  });

  test('a refused action says why, with the field', async () => {
    await expect(appTester(App.creates.create_deal.operation.perform, { authData, inputData: { name: '', amount: -5 } })).rejects.toThrow(/Amount|name/i);
  });
});

describe('triggers', () => {
  let server;
  const received = [];
  let targetUrl;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => { received.push({ headers: req.headers, body: JSON.parse(body) }); res.end('ok'); });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${server.address().port}/hooks/standard/${run}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('new contact: a Zap turned on subscribes, the CRM posts the contact, the trigger reads it, and turning off unsubscribes', async () => {
    const subscribeData = await appTester(App.triggers.new_contact.operation.performSubscribe, { authData, targetUrl });
    expect(subscribeData.id).toBeGreaterThan(0);
    const contact = await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: `hook.${run}@zapier.example`, firstName: 'Hook' } });

    const delivery = await waitFor(() => received.find((r) => r.body.type === 'contact.created' && r.body.data.object.id === contact.id));
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,/);
    const items = await appTester(App.triggers.new_contact.operation.perform, { authData, cleanedRequest: delivery.body });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: contact.id, email: `hook.${run}@zapier.example`, firstName: 'Hook' });

    await appTester(App.triggers.new_contact.operation.performUnsubscribe, { authData, subscribeData });
    const after = received.length;
    await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: `after.${run}@zapier.example` } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(received.length).toBe(after);
  });

  test('polling fallbacks: new and updated contacts, a deal moved to another stage, a new activity', async () => {
    const contact = await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: `poll.${run}@zapier.example`, firstName: 'Poll' } });
    await appTester(App.creates.create_or_update_contact.operation.perform, { authData, inputData: { email: `poll.${run}@zapier.example`, jobTitle: 'Countess' } });
    const note = await appTester(App.creates.log_activity.operation.perform, { authData, inputData: { type: 'note', contactId: contact.id, text: 'Polled' } });
    const deal = await appTester(App.creates.create_deal.operation.perform, { authData, inputData: { name: `Polled ${run}`, contactId: contact.id } });
    const pipelines = await api('/api/v1/pipelines');
    const stages = pipelines.find((p) => p.id === deal.pipelineId).stages;
    const next = stages.find((s) => s.id !== deal.stageId);
    await api(`/api/v1/deals/${deal.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ stageId: next.id }) });

    const created = await appTester(App.triggers.new_contact.operation.performList, { authData });
    expect(created.some((c) => c.id === contact.id)).toBe(true);
    const updated = await appTester(App.triggers.updated_contact.operation.performList, { authData });
    const change = updated.find((u) => u.contactId === contact.id);
    expect(change.changes.jobTitle.after).toBe('Countess');
    expect(change.id).toMatch(/^evt_/);
    const moved = await appTester(App.triggers.deal_stage_changed.operation.performList, { authData });
    expect(moved.find((m) => m.dealId === deal.id)).toMatchObject({ previousStageId: deal.stageId, stageId: next.id });
    const activities = await appTester(App.triggers.new_activity.operation.performList, { authData });
    expect(activities.some((a) => a.id === note.id)).toBe(true);
  });
});

test("the app definition passes the platform's schema, as `zapier validate` checks it", () => {
  const schema = require('zapier-platform-core/src/tools/schema');
  expect(schema.validateApp(schema.compileApp(App))).toEqual([]);
});
