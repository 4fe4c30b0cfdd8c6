using Microsoft.Extensions.Configuration;
using Observability.Hosting;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;
using Observability.Hosting.Postgres;
using Observability.Hosting.Redis;

var builder = DistributedApplication.CreateBuilder(args);

// Every other resource exports its traces, metrics and logs here; the console prints its login link first.
var dashboard = builder.AddDashboard("dashboard", "../Dashboard/Dashboard.csproj");

var cache = builder.AddRedis("cache");
var workflows = builder.AddPostgres("postgres").AddDatabase("workflows");

// The gateway signs the tickets a client shows the hub to stream a run's events; generated once, kept per user.
var eventTicketKey = builder.AddGeneratedPassword("event-ticket-key", 44);

var gateway = builder.AddProject("gateway", "../Gateway/Gateway.csproj")
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithReference(workflows).WaitFor(workflows)
    .WithEnvironment("EventTickets__SigningKey", eventTicketKey);

var worker = builder.AddProject("worker", "../Worker/Worker.csproj")
    .WithReplicas(2)
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithReference(workflows).WaitFor(workflows);

var websockethub = builder.AddProject("websockethub", "../WebSocketHub/WebSocketHub.csproj")
    .WithHttpHealthCheck("/health")
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("EventTickets__SigningKey", eventTicketKey);

// The gateway links each run to its events on the hub and to its trace in the dashboard.
gateway.WithReference(worker).WithReference(websockethub).WithReference(dashboard);

// Off by default: with AppHost:SampleTraffic=true, a sample workflow is submitted to the gateway every few seconds.
if (builder.Configuration.GetValue<bool>("AppHost:SampleTraffic"))
{
    builder.AddProject("sample-traffic", "../SampleTraffic/SampleTraffic.csproj")
        .WithHttpHealthCheck("/health")
        .WithReference(gateway).WaitFor(gateway);
}

builder.Build().Run();
