using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>A started generic host wired by <c>AddServiceDefaults</c> with the given configuration.</summary>
internal sealed class ResilientClientHost : IAsyncDisposable
{
    /// <summary>Short back-off without jitter so retries run in milliseconds.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastRetries = new Dictionary<string, string?>
    {
        ["HttpClient:Resilience:Retry:Delay"] = "00:00:00.010",
        ["HttpClient:Resilience:Retry:UseJitter"] = "false",
    };

    private readonly IHost _host;

    private ResilientClientHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<ResilientClientHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var merged = new Dictionary<string, string?>(FastRetries, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(merged);
        builder.AddServiceDefaults();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ResilientClientHost(host);
    }

    public HttpClient CreateClient(string name = "") => Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
