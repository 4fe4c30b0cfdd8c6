using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Resilience;
using Observability.ServiceDefaults.ServiceDiscovery;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>
/// A started generic host wired like <c>AddServiceDefaults</c> does it (resilience, then discovery) with the given
/// configuration, and a listener on its resilience meter.
/// </summary>
internal sealed class ResilientClientHost : IAsyncDisposable
{
    /// <summary>Short back-off without jitter so retries run in milliseconds.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastRetries = new Dictionary<string, string?>
    {
        ["HttpClient:Resilience:Retry:BaseDelay"] = "00:00:00.010",
        ["HttpClient:Resilience:Retry:UseJitter"] = "false",
    };

    private readonly IHost _host;

    private ResilientClientHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
        Measurements = new ResilienceMeasurements(host.Services.GetRequiredService<IMeterFactory>());
    }

    public ResilienceMeasurements Measurements { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<ResilientClientHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings,
        CancellationToken cancellationToken, Action<IServiceCollection>? services = null,
        Action<IConfigurationBuilder>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var merged = new Dictionary<string, string?>(FastRetries, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(merged);
        configuration?.Invoke(builder.Configuration);
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddHttpClientResilience();
        builder.AddServiceDiscovery();
        builder.Services.AddHttpClient();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        var started = new ResilientClientHost(host, logs);
        await host.StartAsync(cancellationToken);
        return started;
    }

    public HttpClient CreateClient(string name = "") => Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public async ValueTask DisposeAsync()
    {
        Measurements.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
