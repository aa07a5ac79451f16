// The sandbox's HubSpot driven by HubSpot's own Node.js client (@hubspot/api-client): every call the CRM's sync
// makes, through the client's models, so a shape the client cannot read fails here. Usage: node check.mjs <baseUrl> <accessToken>
import { Client } from '@hubspot/api-client';
import assert from 'node:assert/strict';

const [baseUrl, accessToken] = process.argv.slice(2);
if (!baseUrl || !accessToken) {
  console.error('usage: node check.mjs <baseUrl> <accessToken>');
  process.exit(2);
}
// No retries: a sandbox answer the client cannot read must show as it is.
const hubspot = new Client({ accessToken, basePath: baseUrl, numberOfApiCallRetries: 0 });
const crm = hubspot.crm;
const steps = [];
async function step(name, run) {
  try {
    await run();
    steps.push(`ok ${name}`);
  } catch (e) {
    console.error(`FAILED ${name}: ${e?.message ?? e}`);
    if (e?.body) console.error(JSON.stringify(e.body).slice(0, 2000));
    process.exit(1);
  }
}

let ada, grace, acme, deal, note;
await step('contacts: create, read, update', async () => {
  ada = await crm.contacts.basicApi.create({ properties: { email: 'ada@contract.example', firstname: 'Ada', lifecyclestage: 'lead' }, associations: [] });
  assert.equal(ada.properties.email, 'ada@contract.example');
  assert.ok(ada.createdAt instanceof Date);
  const read = await crm.contacts.basicApi.getById(ada.id, ['email', 'firstname', 'lastmodifieddate']);
  assert.equal(read.properties.firstname, 'Ada');
  const updated = await crm.contacts.basicApi.update(ada.id, { properties: { firstname: 'Augusta Ada' } });
  assert.equal(updated.properties.firstname, 'Augusta Ada');
});
await step('contacts: a duplicate email is a 409 the client raises', async () => {
  await assert.rejects(crm.contacts.basicApi.create({ properties: { email: 'ADA@contract.example' }, associations: [] }), e => e.code === 409);
});
await step('contacts: list pages with after', async () => {
  grace = await crm.contacts.basicApi.create({ properties: { email: 'grace@contract.example', firstname: 'Grace' }, associations: [] });
  const first = await crm.contacts.basicApi.getPage(1, undefined, ['email']);
  assert.equal(first.results.length, 1);
  assert.ok(first.paging?.next?.after);
  const second = await crm.contacts.basicApi.getPage(1, first.paging.next.after, ['email']);
  assert.notEqual(second.results[0].id, first.results[0].id);
});
await step('contacts: batch read, with a 207 for an id that is gone', async () => {
  const read = await crm.contacts.batchApi.read({ inputs: [{ id: ada.id }, { id: grace.id }], properties: ['email'], propertiesWithHistory: [] });
  assert.equal(read.results.length, 2);
  assert.equal(read.status, 'COMPLETE');
  const partial = await crm.contacts.batchApi.read({ inputs: [{ id: ada.id }, { id: '999999999' }], properties: ['email'], propertiesWithHistory: [] });
  assert.equal(partial.results.length, 1);
  assert.equal(partial.numErrors, 1);
});
await step('contacts: batch create and update, refusals per input', async () => {
  const created = await crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'alan@contract.example' }, associations: [] }, { properties: { email: 'not-an-email' }, associations: [] }] });
  assert.equal(created.results.length, 1);
  assert.equal(created.numErrors, 1);
  const updated = await crm.contacts.batchApi.update({ inputs: [{ id: grace.id, properties: { jobtitle: 'Admiral' } }] });
  assert.equal(updated.results[0].properties.jobtitle, 'Admiral');
});
await step('contacts: search on the modification date, sorted', async () => {
  const found = await crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
    sorts: ['lastmodifieddate'], properties: ['email', 'lastmodifieddate'], limit: 200, after: '0',
  });
  assert.ok(found.total >= 3);
  assert.ok(found.results.every(r => r.properties.lastmodifieddate));
});
await step('properties: list, read one, create a unique custom one', async () => {
  const all = await crm.properties.coreApi.getAll('deals');
  assert.ok(all.results.some(p => p.name === 'dealstage'));
  const made = await crm.properties.coreApi.create('deals', { name: 'crm_record_id', label: 'CRM record ID', type: 'string', fieldType: 'text', groupName: 'dealinformation', hasUniqueValue: true });
  assert.equal(made.hasUniqueValue, true);
  const one = await crm.properties.coreApi.getByName('deals', 'crm_record_id');
  assert.equal(one.name, 'crm_record_id');
});
await step('owners and the deal pipeline', async () => {
  const owners = await crm.owners.ownersApi.getPage(undefined, undefined, 100);
  assert.ok(owners.results.length > 0 && owners.results[0].email);
  const pipelines = await crm.pipelines.pipelinesApi.getAll('deals');
  assert.ok(pipelines.results[0].stages.some(s => s.id === 'closedwon' && s.metadata.isClosed === 'true'));
});
await step('companies and deals, associated through v4', async () => {
  acme = await crm.companies.basicApi.create({ properties: { name: 'Acme', domain: 'acme.example' }, associations: [] });
  deal = await crm.deals.basicApi.create({ properties: { dealname: 'Renewal', dealstage: 'closedwon', pipeline: 'default', amount: '1200', crm_record_id: '1:42' }, associations: [] });
  const labels = await crm.associations.v4.basicApi.create('contacts', ada.id, 'companies', acme.id, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }]);
  assert.deepEqual(labels.labels, ['Primary']);
  const page = await crm.associations.v4.basicApi.getPage('contacts', ada.id, 'companies');
  assert.equal(String(page.results[0].toObjectId), acme.id);
  assert.ok(page.results[0].associationTypes.some(t => t.typeId === 1 && t.label === 'Primary'));
  const created = await crm.associations.v4.batchApi.create('deals', 'companies', { inputs: [{ _from: { id: deal.id }, to: { id: acme.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }] }] });
  assert.equal(created.results.length, 1);
  const defaults = await crm.associations.v4.batchApi.createDefault('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: { id: ada.id } }] });
  assert.equal(defaults.results[0].associationSpec.associationTypeId, 3);
  const read = await crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: deal.id }] });
  assert.equal(String(read.results[0].to[0].toObjectId), ada.id);
  const none = await crm.associations.v4.batchApi.getPage('companies', 'deals', { inputs: [{ id: acme.id }, { id: '1' }] });
  assert.equal(none.results.length, 1);
  await crm.associations.v4.batchApi.archive('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: [{ id: ada.id }] }] });
  const after = await crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts');
  assert.equal(after.results.length, 0);
  const inline = await crm.contacts.basicApi.getById(ada.id, ['associatedcompanyid'], undefined, ['companies']);
  assert.equal(inline.properties.associatedcompanyid, acme.id);
  assert.ok(inline.associations.companies.results.some(r => r.id === acme.id));
});
await step('deals: read by our key (idProperty), a second create with it refused', async () => {
  const byKey = await crm.deals.basicApi.getById('1:42', ['dealname'], undefined, undefined, false, 'crm_record_id');
  assert.equal(byKey.id, deal.id);
  const batch = await crm.deals.batchApi.read({ inputs: [{ id: '1:42' }], idProperty: 'crm_record_id', properties: ['dealname'], propertiesWithHistory: [] });
  assert.equal(batch.results[0].id, deal.id);
  await assert.rejects(crm.deals.basicApi.create({ properties: { dealname: 'Again', dealstage: 'closedwon', crm_record_id: '1:42' }, associations: [] }), e => e.code === 409);
});
await step('engagements: a note and a task, associated with a contact', async () => {
  note = await crm.objects.notes.basicApi.create({ properties: { hs_timestamp: '2026-11-20T10:15:00.000Z', hs_note_body: '<p>Hello</p>' }, associations: [] });
  await crm.associations.v4.basicApi.create('notes', note.id, 'contacts', ada.id, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }]);
  const task = await crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: '2026-12-05T09:00:00.000Z', hs_task_subject: 'Send terms', hs_task_status: 'NOT_STARTED' }, associations: [] });
  const tasks = await crm.objects.tasks.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }], properties: ['hs_task_subject'], limit: 10, after: '0', sorts: [] });
  assert.ok(tasks.results.some(t => t.id === task.id));
  const notes = await crm.objects.notes.basicApi.getPage(100, undefined, ['hs_note_body'], undefined, ['contacts']);
  assert.equal(notes.results[0].associations.contacts.results[0].id, ada.id);
});
await step('contacts: merge, and the merged id reads as the one kept', async () => {
  const kept = await crm.contacts.basicApi.merge({ primaryObjectId: ada.id, objectIdToMerge: grace.id });
  assert.equal(kept.id, ada.id);
  const read = await crm.contacts.basicApi.getById(grace.id, ['hs_merged_object_ids', 'jobtitle']);
  assert.equal(read.id, ada.id);
  assert.equal(read.properties.hs_merged_object_ids, grace.id);
});
await step('archive, single and batch', async () => {
  await crm.objects.notes.basicApi.archive(note.id);
  await assert.rejects(crm.objects.notes.basicApi.getById(note.id), e => e.code === 404);
  await crm.companies.batchApi.archive({ inputs: [{ id: acme.id }] });
  const archived = await crm.companies.basicApi.getPage(10, undefined, ['name'], undefined, undefined, true);
  assert.ok(archived.results.some(c => c.id === acme.id && c.archived));
});
console.log(steps.join('\n'));
console.log(`${steps.length} checks passed with @hubspot/api-client`);
