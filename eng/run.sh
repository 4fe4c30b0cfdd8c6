#!/usr/bin/env bash
# Runs the whole application locally with .NET Aspire: installs the prerequisites, builds, then starts the AppHost
# (launch profile "http", no developer certificate needed). The AppHost starts DCP and the Aspire dashboard, then
# Redis and PostgreSQL (Aspire's containers when a Docker/Podman engine answers, else the machine's redis-server and
# postgres), then Gateway, Worker (two replicas) and WebSocketHub. Open the "Login to the dashboard" link it prints.
# Ctrl+C (or SIGTERM) stops everything.
#
# Extra arguments go to the AppHost, e.g.  ./eng/run.sh --AppHost:SampleTraffic=true   (a sample workflow every few seconds)
#                                          ./eng/run.sh --AppHost:Servers=local        (never containers)
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AppHost -c Release -warnaserror -v quiet -nologo
exec dotnet run --project AppHost -c Release --no-build --launch-profile http -- "$@"
