'use strict';

const authentication = require('./authentication');
const { addApiKey, explainErrors } = require('./api');
const triggers = require('./triggers');
const searches = require('./searches');
const creates = require('./creates');

const byKey = (list) => Object.fromEntries(list.map((item) => [item.key, item]));

module.exports = {
  version: require('./package.json').version,
  platformVersion: require('zapier-platform-core').version,
  authentication,
  beforeRequest: [addApiKey],
  afterResponse: [explainErrors],
  triggers: byKey(triggers),
  searches: byKey(searches),
  creates: byKey(creates),
};
