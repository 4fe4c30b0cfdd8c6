using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Logging;
using Observability.ServiceDefaults.Masking;
using Observability.ServiceDefaults.TestApp;

// Wires logging exactly as AddServiceDefaults does, writes the planted log entries, and exits: disposing the host
// flushes the console logger. The trace and span IDs of the planted activity go to stderr for the test to compare.
var builder = Host.CreateApplicationBuilder(args);
builder.AddSensitiveDataMasking();
builder.AddStructuredLogging();

using (var host = builder.Build())
{
    PlantedLogs.Write(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(PlantedLogs.Category), Console.Error);
}

return 0;
