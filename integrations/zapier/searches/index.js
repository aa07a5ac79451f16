'use strict';

const { base } = require('../api');

// The CRM's quick search, narrowed to exact matches: a search step must not hand the Zap a lookalike.
const exactly = (value) => String(value || '').trim().toLowerCase();

module.exports = [
  {
    key: 'find_contact',
    noun: 'Contact',
    display: { label: 'Find Contact by Email', description: 'Finds the contact with this email address.' },
    operation: {
      inputFields: [{ key: 'email', label: 'Email', required: true }],
      perform: async (z, bundle) => {
        const response = await z.request({ url: `${base(bundle)}/api/v1/contacts`, params: { search: bundle.inputData.email, pageSize: 25 } });
        return response.data.items.filter((c) => exactly(c.email) === exactly(bundle.inputData.email));
      },
      sample: { id: 1, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    },
  },
  {
    key: 'find_account',
    noun: 'Account',
    display: { label: 'Find Account by Domain', description: 'Finds the account with this web domain.' },
    operation: {
      inputFields: [{ key: 'domain', label: 'Domain', required: true, helpText: 'e.g. `example.com`' }],
      perform: async (z, bundle) => {
        const wanted = exactly(bundle.inputData.domain).replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');
        const response = await z.request({ url: `${base(bundle)}/api/v1/accounts`, params: { search: wanted, pageSize: 25 } });
        return response.data.items.filter((a) => exactly(a.domain) === wanted);
      },
      sample: { id: 1, name: 'Analytical Engines Ltd', domain: 'engines.example' },
    },
  },
];
