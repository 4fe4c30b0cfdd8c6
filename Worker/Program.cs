using Observability.Worker.Llm;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLlmProviders();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
