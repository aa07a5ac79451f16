'use strict';

// The CRM's REST API as the integration calls it: every request goes to the connected CRM's address with its API key.
const base = (bundle) => String(bundle.authData.baseUrl || '').replace(/\/+$/, '');

const addApiKey = (request, z, bundle) => {
  if (bundle.authData && bundle.authData.apiKey) request.headers.Authorization = `Bearer ${bundle.authData.apiKey}`;
  request.headers.Accept = 'application/json';
  return request;
};

// The CRM answers problems as RFC 7807 JSON: show the person its title and detail (and the fields it names).
const explainErrors = (response, z) => {
  if (response.status === 401) throw new z.errors.RefreshAuthError('The CRM refused the API key (revoked or mistyped); reconnect with a valid admin key.');
  if (response.status >= 400) {
    let problem = {};
    try { problem = JSON.parse(response.content); } catch (e) { /* not JSON */ }
    const fields = problem.errors ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`).join('; ') : '';
    throw new z.errors.Error([problem.title, problem.detail, fields].filter(Boolean).join(' — ') || `The CRM answered ${response.status}.`,
      problem.title || 'CrmError', response.status);
  }
  return response;
};

module.exports = { base, addApiKey, explainErrors };
