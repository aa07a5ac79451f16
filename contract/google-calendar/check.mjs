// The sandbox's Google Calendar driven by Google's own Node.js client (@googleapis/calendar): every call the CRM's
// calendar sync and meeting writer make, read through the client, so a shape or status the client cannot take fails
// here. Usage: node check.mjs <baseUrl> <accessToken> <account>
import { calendar as calendarApi, auth } from '@googleapis/calendar';
import assert from 'node:assert/strict';

const [baseUrl, accessToken, account] = process.argv.slice(2);
if (!baseUrl || !accessToken || !account) {
  console.error('usage: node check.mjs <baseUrl> <accessToken> <account>');
  process.exit(2);
}
const client = new auth.OAuth2();
client.setCredentials({ access_token: accessToken });
const calendar = calendarApi({ version: 'v3', auth: client });
// The sandbox serves Google's paths under /google: given per request, the client keeps that prefix (a global rootUrl
// is taken as an origin). No retries: an answer the client cannot take must show as it is.
const at = { rootUrl: `${baseUrl}/google/`, retry: false };
const steps = [];
async function step(name, run) {
  try {
    await run();
    steps.push(`ok ${name}`);
  } catch (e) {
    console.error(`FAILED ${name}: ${e?.message || e}`, e?.status ?? e?.response?.status ?? "", e?.config?.url ?? "", e?.cause?.message ?? "");
    if (e?.response?.data) console.error(JSON.stringify(e.response.data).slice(0, 2000));
    process.exit(1);
  }
}
const inDays = (days, hour) => {
  const at = new Date();
  at.setUTCDate(at.getUTCDate() + days);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
};
const windowStart = inDays(-1, 0);

let primaryId, meeting, syncToken, series;
await step('calendarList: the primary calendar, with its time zone and access role', async () => {
  const { data } = await calendar.calendarList.list({ maxResults: 250 }, at);
  assert.equal(data.kind, 'calendar#calendarList');
  const primary = data.items.find(c => c.primary);
  assert.ok(primary, 'a primary calendar');
  assert.equal(primary.id, account);
  assert.ok(primary.timeZone);
  assert.equal(primary.accessRole, 'owner');
  primaryId = primary.id;
});
await step('events.insert: a meeting with attendees, in a named time zone', async () => {
  const { data, status } = await calendar.events.insert({
    calendarId: 'primary', sendUpdates: 'all',
    requestBody: {
      summary: 'Contract review', description: 'Join: https://meet.google.com/abc-defg-hij', location: 'Room 1',
      start: { dateTime: inDays(2, 14).replace('Z', '+00:00'), timeZone: 'Europe/Paris' },
      end: { dateTime: inDays(2, 15).replace('Z', '+00:00'), timeZone: 'Europe/Paris' },
      attendees: [{ email: 'ada@contract.example', displayName: 'Ada' }],
    },
  }, at);
  assert.equal(status, 200);
  assert.equal(data.kind, 'calendar#event');
  for (const field of ['id', 'iCalUID', 'etag', 'created', 'updated', 'htmlLink']) assert.ok(data[field], `the event's ${field}`);
  assert.equal(data.status, 'confirmed');
  assert.equal(data.organizer.email, account);
  assert.equal(data.attendees[0].email, 'ada@contract.example');
  assert.equal(data.attendees[0].responseStatus, 'needsAction');
  meeting = data;
});
await step('events.get: the same event by id', async () => {
  const { data } = await calendar.events.get({ calendarId: 'primary', eventId: meeting.id }, at);
  assert.equal(data.summary, 'Contract review');
  assert.equal(data.iCalUID, meeting.iCalUID);
});
await step('events.insert: a weekly series', async () => {
  const { data } = await calendar.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Weekly sync', start: { dateTime: inDays(1, 9), timeZone: 'UTC' }, end: { dateTime: inDays(1, 10), timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'], attendees: [{ email: 'grace@contract.example' }],
    },
  }, at);
  assert.deepEqual(data.recurrence, ['RRULE:FREQ=WEEKLY;COUNT=3']);
  series = data;
});
await step('events.list: occurrences expanded, paged, ending with a sync token', async () => {
  const seen = [];
  let pageToken;
  do {
    const { data } = await calendar.events.list({ calendarId: 'primary', singleEvents: true, timeMin: windowStart, maxResults: 2, showDeleted: true, pageToken }, at);
    assert.equal(data.kind, 'calendar#events');
    seen.push(...data.items);
    pageToken = data.nextPageToken;
    if (!pageToken) syncToken = data.nextSyncToken;
    else assert.equal(data.nextSyncToken, undefined);
  } while (pageToken);
  assert.ok(syncToken, 'a sync token on the last page');
  const occurrences = seen.filter(e => e.recurringEventId === series.id);
  assert.equal(occurrences.length, 3);
  assert.ok(occurrences.every(o => o.originalStartTime?.dateTime));
  assert.ok(seen.some(e => e.id === meeting.id));
});
await step('events.patch: moved, with a new etag', async () => {
  const { data } = await calendar.events.patch({
    calendarId: 'primary', eventId: meeting.id,
    requestBody: { start: { dateTime: inDays(3, 14), timeZone: 'UTC' }, end: { dateTime: inDays(3, 15), timeZone: 'UTC' } },
  }, at);
  assert.notEqual(data.etag, meeting.etag);
  assert.equal(data.summary, 'Contract review');
});
await step('events.delete, then events.list with the sync token: the change and the cancellation', async () => {
  const patched = await calendar.events.list({ calendarId: 'primary', syncToken }, at);
  assert.ok(patched.data.items.some(e => e.id === meeting.id && e.status === 'confirmed'));
  const removed = await calendar.events.delete({ calendarId: 'primary', eventId: meeting.id }, at);
  assert.equal(removed.status, 204);
  const after = await calendar.events.list({ calendarId: 'primary', syncToken: patched.data.nextSyncToken }, at);
  assert.ok(after.data.items.some(e => e.id === meeting.id && e.status === 'cancelled'));
});
await step('events.get of an unknown event: 404 notFound, raised by the client', async () => {
  await assert.rejects(calendar.events.get({ calendarId: 'primary', eventId: 'nosuchevent' }, at),
    e => e.code === 404 || e.status === 404 || e.response?.status === 404);
});
await step('events.list with a sync token that expired: 410 fullSyncRequired, raised by the client', async () => {
  const { data } = await calendar.events.list({ calendarId: 'primary', showDeleted: true }, at);
  // The sandbox's control endpoint expires the account's tokens, as Google does after weeks or an ACL change.
  const expired = await fetch(`${baseUrl}/_sandbox/google/calendar/${encodeURIComponent(account)}/expire-sync-tokens`, { method: 'POST' });
  assert.ok(expired.ok);
  await assert.rejects(calendar.events.list({ calendarId: 'primary', syncToken: data.nextSyncToken }, at),
    e => (e.code === 410 || e.response?.status === 410) && e.response.data.error.errors[0].reason === 'fullSyncRequired');
});
await step('events.watch, then channels.stop', async () => {
  const { data } = await calendar.events.watch({
    calendarId: 'primary',
    requestBody: { id: `contract-${Date.now()}`, type: 'web_hook', address: 'https://crm.example/webhooks/google/calendar', token: 'secret' },
  }, at);
  assert.equal(data.kind, 'api#channel');
  assert.ok(data.resourceId && data.expiration);
  const stopped = await calendar.channels.stop({ requestBody: { id: data.id, resourceId: data.resourceId } }, at);
  assert.equal(stopped.status, 204);
});

console.log(steps.join('\n'));
console.log(`${steps.length} checks passed with @googleapis/calendar`);
