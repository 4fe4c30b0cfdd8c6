using Observability.Gateway.Apis;
using Observability.Gateway.Caching;
using Observability.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();
builder.AddRunCache();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapWorkflowsApi();
app.MapSessionsApi();
app.MapObservabilityApi();

app.Run();
