using Observability.SampleTraffic;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSampleTraffic();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
