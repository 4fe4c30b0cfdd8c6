#!/usr/bin/env bash
# Runs the whole application locally: builds, then starts the AppHost, which brings up Redis and PostgreSQL (local
# binaries, or containers when a Docker/Podman engine answers), then Gateway, Worker (two replicas) and
# WebSocketHub, wired with the environment variables Aspire injects. It prints every endpoint, then state changes.
# Ctrl+C (or SIGTERM) stops everything in reverse dependency order.
#
# Extra arguments go to the AppHost, e.g.  ./eng/run.sh --AppHost:ShowLogs=all   (echo every resource's output)
# Generated passwords and database files live outside the repository (as root: /var/lib/observability.apphost;
# otherwise $XDG_STATE_HOME or ~/.local/state).
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AppHost -c Release -warnaserror -v quiet -nologo
exec dotnet artifacts/bin/AppHost/release/Observability.AppHost.dll "$@"
