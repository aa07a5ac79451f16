'use strict';

const { base } = require('../api');

// Only the fields the person mapped: an empty Zap field must not erase what the CRM holds.
const given = (inputData, keys) => Object.fromEntries(keys.filter((k) => inputData[k] !== undefined && inputData[k] !== '').map((k) => [k, inputData[k]]));

const contactFields = ['email', 'firstName', 'lastName', 'phone', 'jobTitle'];

module.exports = [
  {
    key: 'create_or_update_contact',
    noun: 'Contact',
    display: { label: 'Create or Update Contact', description: 'Updates the contact with this email address, or creates one.' },
    operation: {
      inputFields: [
        { key: 'email', label: 'Email', required: true },
        { key: 'firstName', label: 'First name' },
        { key: 'lastName', label: 'Last name' },
        { key: 'phone', label: 'Phone' },
        { key: 'jobTitle', label: 'Job title' },
      ],
      perform: async (z, bundle) => {
        const fields = given(bundle.inputData, contactFields);
        const found = await z.request({ url: `${base(bundle)}/api/v1/contacts`, params: { search: bundle.inputData.email, pageSize: 25 } });
        const existing = found.data.items.find((c) => String(c.email || '').toLowerCase() === String(bundle.inputData.email).trim().toLowerCase());
        const response = existing
          ? await z.request({ url: `${base(bundle)}/api/v1/contacts/${existing.id}`, method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: fields })
          : await z.request({ url: `${base(bundle)}/api/v1/contacts`, method: 'POST', body: fields });
        return { ...response.data, created: !existing };
      },
      sample: { id: 1, firstName: 'Ada', email: 'ada@example.com', created: true },
    },
  },
  {
    key: 'create_deal',
    noun: 'Deal',
    display: { label: 'Create Deal', description: 'Creates a deal, optionally with a contact on it.' },
    operation: {
      inputFields: [
        { key: 'name', label: 'Deal name', required: true },
        { key: 'amount', label: 'Amount', type: 'number' },
        { key: 'currency', label: 'Currency', helpText: 'e.g. USD' },
        { key: 'contactId', label: 'Contact ID', type: 'integer', helpText: 'From a Find Contact or New Contact step.' },
      ],
      perform: async (z, bundle) => {
        const body = given(bundle.inputData, ['name', 'amount', 'currency']);
        if (bundle.inputData.contactId) body.contactIds = [Number(bundle.inputData.contactId)];
        const response = await z.request({ url: `${base(bundle)}/api/v1/deals`, method: 'POST', body });
        return response.data;
      },
      sample: { id: 7, name: 'Analytical Engine', amount: 5000 },
    },
  },
  {
    key: 'log_activity',
    noun: 'Activity',
    display: { label: 'Log a Note or Call', description: "Logs a note or a call on a contact's timeline." },
    operation: {
      inputFields: [
        { key: 'type', label: 'Kind', required: true, choices: { note: 'Note', call: 'Call' }, default: 'note' },
        { key: 'contactId', label: 'Contact ID', required: true, type: 'integer' },
        { key: 'text', label: 'Text', required: true, helpText: "The note, or the call's notes." },
      ],
      perform: async (z, bundle) => {
        const { type, contactId, text } = bundle.inputData;
        const body = type === 'call' ? { type: 'call', contactId: Number(contactId), notes: text } : { type: 'note', contactId: Number(contactId), body: text };
        const response = await z.request({ url: `${base(bundle)}/api/v1/activities`, method: 'POST', body });
        return response.data;
      },
      sample: { id: 3, type: 'note', body: 'Called about the proposal', contactId: 1 },
    },
  },
];
