'use strict';

const { base } = require('./api');

// A workspace admin's API key (Admin → API keys): webhook subscriptions are an admin's to make.
module.exports = {
  type: 'custom',
  fields: [
    { key: 'baseUrl', label: 'CRM address', required: true, type: 'string', helpText: 'Where your CRM runs, e.g. `https://crm.example.com`.' },
    { key: 'apiKey', label: 'API key', required: true, type: 'password', helpText: 'An admin API key, from Admin → API keys in the CRM.' },
  ],
  // Reads the events feed, which only an admin key may: a rep's key is refused here, not later in a Zap.
  test: async (z, bundle) => {
    const response = await z.request({ url: `${base(bundle)}/api/v1/webhooks/events`, params: { limit: 1 } });
    return response.data;
  },
  connectionLabel: (z, bundle) => base(bundle),
};
