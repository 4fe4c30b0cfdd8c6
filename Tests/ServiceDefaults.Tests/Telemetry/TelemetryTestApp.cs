using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>A real Kestrel service on a loopback port with <c>AddServiceDefaults()</c>, exporting to a receiver.</summary>
internal sealed class TelemetryTestApp : IAsyncDisposable
{
    private TelemetryTestApp(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Short export delays so tests see data quickly; tests about flushing override them.</summary>
    public static Dictionary<string, string?> FastExport(OtlpCaptureReceiver receiver, OtlpTransport transport)
    {
        var settings = new Dictionary<string, string?>(receiver.ExporterSettings(transport))
        {
            ["OTEL_BSP_SCHEDULE_DELAY"] = "50",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "50",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        return settings;
    }

    public static async Task<TelemetryTestApp> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplication> map,
        CancellationToken cancellationToken,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync(cancellationToken);
            return new TelemetryTestApp(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
