using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Observability.ServiceDefaults.Metrics;
using Observability.ServiceDefaults.Tests.Health;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Observability.ServiceDefaults.Tests.Metrics;

/// <summary>
/// A real MeterProvider with the Prometheus reader and a meter of the test's own, scraped in process
/// (no HTTP): what <c>/metrics</c> would serve.
/// </summary>
internal sealed class ScrapeHarness : IDisposable
{
    public const string HistogramName = "test.request.duration";

    private readonly ServiceProvider _services;

    public ScrapeHarness(TimeSpan? cacheDuration = null, Action<MeterProviderBuilder>? configure = null)
    {
        MeterName = "Observability.Tests.M" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddOptions<PrometheusMetricsOptions>().Configure(options => options.ScrapeResponseCacheDuration = cacheDuration ?? TimeSpan.Zero);
        services.AddSingleton<PrometheusScraper>();
        _services = services.BuildServiceProvider();
        Scraper = _services.GetRequiredService<PrometheusScraper>();
        Meter = new Meter(MeterName, "1.2.0");
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.Clear().AddService("checkout", serviceVersion: "2.0.0", serviceInstanceId: "i-1"))
            .AddMeter(MeterName)
            .AddView(HistogramName, new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.5, 1] })
            .AddReader(Scraper.CreateReader());
        configure?.Invoke(builder);
        Provider = builder.Build();
    }

    public ManualTimeProvider Time { get; } = new();

    public string MeterName { get; }

    public Meter Meter { get; }

    public MeterProvider Provider { get; }

    public PrometheusScraper Scraper { get; }

    public async Task<string> ScrapeAsync(PrometheusFormat format = PrometheusFormat.Text)
    {
        var result = await Scraper.ScrapeAsync(format, TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.Equal(format, result.Format);
        return Encoding.UTF8.GetString(result.Content.Span);
    }

    /// <summary>The scope labels every sample of this harness's meter starts with.</summary>
    public string ScopeLabels => $"otel_scope_name=\"{MeterName}\",otel_scope_version=\"1.2.0\"";

    public void Dispose()
    {
        Provider.Dispose();
        Meter.Dispose();
        _services.Dispose();
    }
}
