#!/usr/bin/env bash
# Runs every test against real servers. Extra arguments go to 'dotnet test', e.g.
#   ./eng/test.sh --filter "Category!=Integration"   (fast unit tests only)
#   ./eng/test.sh --filter "Category=Integration"    (integration tests only)
# The whole output is also kept in artifacts/test-results/test.log; when a test fails, its name, message and the top
# of its stack trace are repeated at the end, so the last lines of a long CI log always say what failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=artifacts/test-results/test.log
mkdir -p "$(dirname "$log")"
: > "$log"

# Runs a command, its output shown and appended to the log; when it fails, repeats every failed test at the end.
run_tests() {
  local status=0
  "$@" 2>&1 | tee -a "$log" || status=$?
  if (( status != 0 )); then
    echo
    echo "==== $* exited with $status; the failed tests, repeated from the output above ===="
    # A failure reads: '  Failed <name> [time]', '  Error Message:', the message, '  Stack Trace:', frames, then the
    # test's output. Keep the name, up to 25 lines of message and the first 4 frames of each.
    awk '
      /^  Failed [^ ]/                    { print; part = "message"; lines = 0; next }
      part == "" || /^  (Passed|Skipped) / || /^\[xUnit\.net/ { part = ""; next }
      /^  Stack Trace:/                    { part = "stack"; lines = 0; print; next }
      /^  (Standard Output|Standard Error) Messages:/ { part = ""; next }
      part == "message" && lines++ < 25    { print; next }
      part == "stack"   && lines++ < 4     { print; next }
    ' "$log"
    echo "==== failed: ===="
    grep -E '^  Failed [^ ]' "$log" || echo "  (no test failed: the run itself did; see its output above)"
  fi
  return "$status"
}

run_tests dotnet build Observability.sln -c Release -warnaserror
run_tests dotnet test Observability.sln -c Release --no-build --logger "console;verbosity=normal" "$@"

# The repository is also a 'dotnet new' template: check that instantiating it renames everything and builds.
# (Not part of the solution, and not copied into applications made from the template.)
if [[ -f .template.config/template.json ]]; then
  run_tests dotnet test Tests/Template.Tests -c Release -warnaserror --logger "console;verbosity=normal" "$@"
fi
