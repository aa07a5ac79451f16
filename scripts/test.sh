#!/usr/bin/env bash
# Sets up and runs every test: unit, persistence (real SQLite files), API (real HTTP pipeline), components (bUnit)
# and browser (Playwright driving Debian's Chromium, installed here when missing). Ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: chromium (browser tests; never a downloaded browser) and LibreOffice's Calc
# (exported spreadsheets read by real spreadsheet software).
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
install() {  # install <command> <apt-get arguments...>
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing Debian's ${*: -1} for the tests..."
  shift
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null; } \
    || { echo "Could not install ${*: -1}"; echo "0 passed, 1 failed"; exit 1; }
}
install chromium chromium
install soffice --no-install-recommends libreoffice-calc-nogui
install npm nodejs npm
# Radicale, a real CalDAV server the CalDAV tests run against (CalDavCalendarSyncTests).
install radicale radicale

# HubSpot's own Node.js client, pinned, to check the sandbox with (HubSpotOfficialClientTests; skipped without it).
if [ ! -d contract/hubspot/node_modules/@hubspot/api-client ]; then
  (cd contract/hubspot && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || echo "Could not install HubSpot's Node client: its contract check is skipped."
fi

# Google's own Node.js Calendar client, pinned, to check the sandbox with (GoogleCalendarOfficialClientTests; skipped without it).
if [ ! -d contract/google-calendar/node_modules/@googleapis/calendar ]; then
  (cd contract/google-calendar && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || echo "Could not install Google's Node Calendar client: its contract check is skipped."
fi

# The Zapier integration (zapier-platform-core, jest), pinned; ZapierIntegrationTests runs its tests against the app.
if [ ! -d integrations/zapier/node_modules/zapier-platform-core ]; then
  (cd integrations/zapier && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || echo "Could not install the Zapier integration's packages: its tests are skipped."
fi

# axe-core, pinned, injected by the browser tests into every main page (AccessibilityTests).
if [ ! -f contract/axe/node_modules/axe-core/axe.min.js ]; then
  (cd contract/axe && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "Could not install axe-core for the accessibility tests."; echo "0 passed, 1 failed"; exit 1; }
fi

dotnet tool restore >/dev/null
if ! dotnet build Crm.sln -c Release --nologo -v q -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

rm -rf TestResults
dotnet test Crm.Tests/Crm.Tests.csproj -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory TestResults
status=$?

trx="TestResults/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written."
  echo "0 passed, 1 failed"
  exit 1
fi
counter() { grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*"; }
passed=$(counter passed); failed=$(counter failed)
# The failures again at the end, where a log that keeps only its tail still shows them: name and first lines of the message.
awk '
  /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11); failed = 1; next }
  /<\/UnitTestResult>/ { failed = 0; next }
  failed && /<ErrorInfo>/ { error = 1; lines = 0; next }
  /<\/ErrorInfo>/ { error = 0; next }
  error && lines < 25 { sub(/^[[:space:]]*/, ""); print "  " $0; lines++ }
' "$trx" | sed -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'

# Skipped tests are results with outcome NotExecuted (the summary counters leave them out).
skipped=$(grep -c '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx")
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
