using Observability.ServiceDefaults.RequestLimits;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Extensions;
using Observability.Workflows.Tickets;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRequestLimits();
builder.AddWorkflowsRedis(HubExtensions.RedisConnectionName);
builder.AddRunStates();
builder.AddEventTickets();
builder.AddWebSocketHub();

var app = builder.Build();

app.UseWebSockets();

app.MapDefaultEndpoints();
app.MapEventsHub();

app.Run();
