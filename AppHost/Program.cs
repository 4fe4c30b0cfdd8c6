using Microsoft.Extensions.Configuration;
using Observability.AppHost.Commands;
using Observability.AppHost.Links;
using Observability.AppHost.LocalServers;
using Observability.AppHost.Monitoring;
using Observability.AppHost.Startup;

var builder = DistributedApplication.CreateBuilder(args);

// The services have no launch profiles: each gets one http endpoint on a port Aspire picks (ASPNETCORE_URLS).

// Aspire's Redis and PostgreSQL containers where a container engine answers (and always in the manifest); otherwise
// the machine's own redis-server and postgres under the same names (AppHost:Servers = auto | local | container).
var local = builder.UseLocalServers();
IResourceBuilder<IResourceWithConnectionString> cache = local
    ? builder.AddLocalRedis("cache")
    : builder.AddRedis("cache");
IResourceBuilder<IResourceWithConnectionString> workflows = local
    ? builder.AddLocalPostgres("postgres").AddDatabase("workflows")
    : builder.AddPostgres("postgres").AddDatabase("workflows");

// The gateway signs the tickets a client shows the hub to stream a run's events: generated once, kept in user secrets.
var eventTicketKey = builder.AddParameter("event-ticket-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true);

var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithReference(workflows).WaitFor(workflows)
    .WithEnvironment("EventTickets__SigningKey", eventTicketKey)
    .WithDashboardTraceLinks()
    .WithGatewayLinks()
    .WithSubmitSampleWorkflowCommand();

var worker = builder.AddProject<Projects.Worker>("worker")
    .WithHttpEndpoint()
    .WithReplicas(2)
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithReference(workflows).WaitFor(workflows)
    .WithRedriveDeadLettersCommand();

// Prompts and completions on the LLM spans, for the dashboard's GenAI view (never in a published deployment).
if (builder.ExecutionContext.IsRunMode)
{
    worker.WithEnvironment("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
}

var websockethub = builder.AddProject<Projects.WebSocketHub>("websockethub")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithReference(workflows).WaitFor(workflows)
    .WithEnvironment("EventTickets__SigningKey", eventTicketKey);

// The gateway links each run to its events on the hub.
gateway.WithReference(websockethub);

// Off by default: with AppHost:SampleTraffic=true, a sample workflow is submitted to the gateway every few seconds.
if (builder.Configuration.GetValue<bool>("AppHost:SampleTraffic"))
{
    builder.AddProject<Projects.SampleTraffic>("sample-traffic")
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/health")
        .WithReference(gateway).WaitFor(gateway);
}

// Off by default: with AppHost:Monitoring=true, Prometheus scrapes every replica (and the servers' exporters) with the
// rules of monitoring/ and alerts through Alertmanager; local binaries or containers as for Redis and PostgreSQL; never
// in the published manifest.
if (builder.Configuration.GetValue<bool>(MonitoringBuilderExtensions.ConfigurationKey) && builder.ExecutionContext.IsRunMode)
{
    builder.AddMonitoring(local, cache, workflows, gateway, worker, websockethub);
}

// Each service starts from its build output rather than through `dotnet run` (half of the start-up time on two cores).
builder.LaunchProjectsFromBuildOutput();

// A resource is seen healthy within 100 ms of it passing its checks at start, not up to 5 s later (Aspire's back-off).
builder.WithPromptHealthChecks();

// One console line when everything is healthy (AppHost/measure-startup.sh waits for it).
builder.WithStartupReport();

builder.Build().Run();
