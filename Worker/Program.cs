using Observability.Worker.Apis;
using Observability.Worker.Extensions;
using Observability.Worker.Llm;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLlmProviders();
builder.AddWorkflowEngine();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDeadLettersApi();

app.Run();
