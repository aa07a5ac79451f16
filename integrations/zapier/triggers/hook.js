'use strict';

const { base } = require('../api');

// An instant trigger on one CRM event: Zapier's REST hook (subscribe when a Zap is turned on, unsubscribe when turned
// off), and the CRM's events feed for samples and as the polling fallback. toItem turns a delivery into Zapier's item.
module.exports = ({ key, noun, label, description, event, toItem, sample }) => ({
  key,
  noun,
  display: { label, description },
  operation: {
    type: 'hook',
    performSubscribe: async (z, bundle) => {
      const response = await z.request({ url: `${base(bundle)}/api/v1/webhooks/zapier`, method: 'POST', body: { targetUrl: bundle.targetUrl, event } });
      return response.data;
    },
    performUnsubscribe: async (z, bundle) => {
      await z.request({ url: `${base(bundle)}/api/v1/webhooks/zapier/${bundle.subscribeData.id}`, method: 'DELETE' });
      return {};
    },
    perform: (z, bundle) => [toItem(bundle.cleanedRequest)],
    performList: async (z, bundle) => {
      const response = await z.request({ url: `${base(bundle)}/api/v1/webhooks/events`, params: { type: event, limit: 25 } });
      return response.data.events.map(toItem);
    },
    sample,
  },
});
