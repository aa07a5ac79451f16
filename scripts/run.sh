#!/usr/bin/env bash
# Sets up and runs the CRM on the embedded defaults (SQLite in Crm.Web/data), with demo data and the sandbox
# identity provider for single sign-on. Prints the URL once the app answers /health/ready. Ctrl+C stops both.
#   PORT (5080), SANDBOX_PORT (5090): the ports.   DATA_DIR (Crm.Web/data): database (with the key ring), files and the sandbox log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

PORT="${PORT:-5080}"
SANDBOX_PORT="${SANDBOX_PORT:-5090}"
URL="http://127.0.0.1:${PORT}"
DATA_DIR="${DATA_DIR:-${ROOT}/Crm.Web/data}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="${ROOT}/${DATA_DIR}" ;; esac
mkdir -p "$DATA_DIR"

dotnet tool restore >/dev/null
# Built when anything it is built from is newer than the last build (or there is none): a restart after no change
# starts at once. Data folders, bin and obj are not sources.
BUILT="Crm.Web/bin/Release/net10.0/Crm.Web.dll"
if [ ! -f "$BUILT" ] || [ ! -f Crm.Sandbox/bin/Release/net10.0/Crm.Sandbox.dll ] \
   || [ -n "$(find Crm.sln Directory.Build.props Directory.Packages.props Crm.Core Crm.Infrastructure Crm.Web Crm.Sandbox \
              \( -name bin -o -name obj -o -name data \) -prune -o -type f -newer "$BUILT" -print -quit)" ]; then
  dotnet build Crm.sln -c Release --nologo -v q -clp:ErrorsOnly
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
PIDS=()
stop() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM

# Each program runs from its own folder, so it reads its own appsettings.json whatever folder this was started from.
(cd Crm.Sandbox/bin/Release/net10.0 && exec dotnet Crm.Sandbox.dll --urls "http://127.0.0.1:${SANDBOX_PORT}") >"${DATA_DIR}/sandbox.log" 2>&1 &
PIDS+=($!)

(cd Crm.Web && Database__DataDirectory="$DATA_DIR" \
  Authentication__Oidc__Authority="http://127.0.0.1:${SANDBOX_PORT}/oidc" \
  Authentication__Oidc__ClientId="crm-web" \
  Authentication__Oidc__ClientSecret="sandbox-secret-change-me" \
  Authentication__Oidc__RequireHttpsMetadata="false" \
  Authentication__Oidc__DisplayName="Sandbox SSO" \
  Integrations__HubSpot__ClientId="crm-hubspot-app" \
  Integrations__HubSpot__ClientSecret="sandbox-hubspot-secret-change-me" \
  Integrations__HubSpot__AuthorizeUrl="http://127.0.0.1:${SANDBOX_PORT}/oauth/authorize" \
  Integrations__HubSpot__ApiBaseUrl="http://127.0.0.1:${SANDBOX_PORT}" \
  Integrations__Google__ClientId="crm-sandbox.apps.googleusercontent.com" \
  Integrations__Google__ClientSecret="sandbox-google-secret-change-me" \
  Integrations__Google__AuthorizeUrl="http://127.0.0.1:${SANDBOX_PORT}/google/o/oauth2/v2/auth" \
  Integrations__Google__TokenUrl="http://127.0.0.1:${SANDBOX_PORT}/google/token" \
  Integrations__Google__RevokeUrl="http://127.0.0.1:${SANDBOX_PORT}/google/revoke" \
  Integrations__Google__UserInfoUrl="http://127.0.0.1:${SANDBOX_PORT}/google/v1/userinfo" \
  Email__PublicUrl="${URL}" \
  Integrations__Google__GmailApiUrl="http://127.0.0.1:${SANDBOX_PORT}/google/gmail/v1/users/me" \
  Integrations__Google__CalendarApiUrl="http://127.0.0.1:${SANDBOX_PORT}/google/calendar/v3" \
  Integrations__Microsoft__ClientId="6731de76-14a6-49ae-97bc-6eba6914391e" \
  Integrations__Microsoft__ClientSecret="sandbox-microsoft-secret-change-me" \
  Integrations__Microsoft__LoginBaseUrl="http://127.0.0.1:${SANDBOX_PORT}/microsoft" \
  Integrations__Microsoft__GraphBaseUrl="http://127.0.0.1:${SANDBOX_PORT}/microsoft/graph/v1.0" \
  Integrations__Salesforce__ClientId="3MVG9sandbox.crm.connected.app" \
  Integrations__Salesforce__ClientSecret="sandbox-salesforce-secret-change-me" \
  Integrations__Salesforce__LoginUrl="http://127.0.0.1:${SANDBOX_PORT}" \
  exec dotnet bin/Release/net10.0/Crm.Web.dll --urls "${URL}") &
WEB_PID=$!
PIDS+=($WEB_PID)

# answers URL: the URL answers 2xx (curl when there is one, bash's /dev/tcp otherwise).
answers() {
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; return; fi
  local rest="${1#http://}" host port path
  host="${rest%%/*}"; path="/${rest#*/}"; port="${host##*:}"; host="${host%%:*}"
  exec 3<>"/dev/tcp/${host}/${port}" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
  local status; read -r -t 2 _ status _ <&3 || status=""
  exec 3<&- 3>&-
  [[ "$status" == 2* ]]
}

echo "Starting the CRM (the first start migrates the database and adds demo data)..."
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$WEB_PID" 2>/dev/null; then echo "The CRM stopped before it was ready (its output is above)." >&2; exit 1; fi
  if answers "${URL}/health/ready" && answers "http://127.0.0.1:${SANDBOX_PORT}/oidc/.well-known/openid-configuration"; then
    ready=1; break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then echo "The CRM did not answer ${URL}/health/ready within 5 minutes." >&2; exit 1; fi

cat <<MSG

  CRM is ready: ${URL}
  Sign in:  admin@example.com / admin-password-1   (admin)
            rep@example.com   / rep-password-1     (rep)
  SSO:      "Sign in with Sandbox SSO" on the sign-in page (sandbox identity provider on port ${SANDBOX_PORT})
  Connect:  Integrations (admin: HubSpot, Salesforce) and My connections (everyone: Gmail, Outlook, calendars) connect to the sandbox's providers
  Data:     ${DATA_DIR} (delete the folder to start over; the sandbox's log is sandbox.log there)

MSG

wait "$WEB_PID"
