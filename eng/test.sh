#!/usr/bin/env bash
# Runs every test against real servers. Extra arguments go to 'dotnet test', e.g.
#   ./eng/test.sh --filter "Category!=Integration"   (fast unit tests only)
#   ./eng/test.sh --filter "Category=Integration"    (integration tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Observability.sln -c Release -warnaserror
dotnet test Observability.sln -c Release --no-build --logger "console;verbosity=normal" "$@"

# The repository is also a 'dotnet new' template: check that instantiating it renames everything and builds.
# (Not part of the solution, and not copied into applications made from the template.)
if [[ -f .template.config/template.json ]]; then
  dotnet test Tests/Template.Tests -c Release -warnaserror --logger "console;verbosity=normal" "$@"
fi
