#!/usr/bin/env bash
# Sets up and runs the CRM on the embedded defaults (SQLite in Crm.Web/data), with demo data and the sandbox
# identity provider for single sign-on. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-5080}"
SANDBOX_PORT="${SANDBOX_PORT:-5090}"
URL="http://127.0.0.1:${PORT}"

dotnet tool restore >/dev/null
dotnet build Crm.sln -c Release --nologo -v q -clp:ErrorsOnly

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
dotnet Crm.Sandbox/bin/Release/net10.0/Crm.Sandbox.dll --urls "http://127.0.0.1:${SANDBOX_PORT}" >/tmp/crm-sandbox.log 2>&1 &
SANDBOX_PID=$!
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT

cat <<MSG

  CRM:      ${URL}
  Sign in:  admin@example.com / admin-password-1   (admin)
            rep@example.com   / rep-password-1     (rep)
  SSO:      "Sign in with Sandbox SSO" on the sign-in page (sandbox identity provider on port ${SANDBOX_PORT})
  Data:     Crm.Web/data (delete the folder to start over)

MSG

cd Crm.Web
Authentication__Oidc__Authority="http://127.0.0.1:${SANDBOX_PORT}/oidc" \
Authentication__Oidc__ClientId="crm-web" \
Authentication__Oidc__ClientSecret="sandbox-secret-change-me" \
Authentication__Oidc__RequireHttpsMetadata="false" \
Authentication__Oidc__DisplayName="Sandbox SSO" \
  dotnet bin/Release/net10.0/Crm.Web.dll --urls "${URL}"
