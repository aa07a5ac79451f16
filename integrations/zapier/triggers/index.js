'use strict';

const hook = require('./hook');

const contactSample = { id: 1, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', jobTitle: 'Analyst', lifecycle: 'lead' };

// An update, a stage move: several per record, so each item's id is the event's (Zapier de-duplicates on it).
const perEvent = (recordKey) => (event) => ({ ...event.data.object, id: event.id, [recordKey]: event.data.object.id, changes: event.data.changes, occurredAt: event.timestamp });

module.exports = [
  hook({
    key: 'new_contact', noun: 'Contact', label: 'New Contact', description: 'Triggers when a contact is created.',
    event: 'contact.created', toItem: (event) => event.data.object, sample: contactSample,
  }),
  hook({
    key: 'updated_contact', noun: 'Contact', label: 'Updated Contact', description: 'Triggers when a contact changes (with each field before and after).',
    event: 'contact.updated', toItem: perEvent('contactId'),
    sample: { ...contactSample, id: 'evt_01', contactId: 1, changes: { jobTitle: { before: 'Analyst', after: 'Countess' } } },
  }),
  hook({
    key: 'deal_stage_changed', noun: 'Deal', label: 'Deal Stage Changed', description: 'Triggers when a deal moves to another stage.',
    event: 'deal.stage_changed',
    toItem: (event) => ({ ...perEvent('dealId')(event), previousStageId: event.data.previousStageId, stageId: event.data.stageId }),
    sample: { id: 'evt_02', dealId: 7, name: 'Analytical Engine', previousStageId: 1, stageId: 2, amount: 5000 },
  }),
  hook({
    key: 'new_activity', noun: 'Activity', label: 'New Activity', description: 'Triggers when a note, task, call, email or meeting is logged.',
    event: 'activity.logged', toItem: (event) => event.data.object, sample: { id: 3, type: 'note', body: 'Met at the Royal Society', contactId: 1 },
  }),
];
