using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Trace;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>
/// A started generic host wired like the Worker (<c>AddServiceDefaults</c> when asked, then <c>AddLlmProviders</c>)
/// with the given configuration, every log record in a <see cref="FakeLogCollector"/> and, with ServiceDefaults,
/// every span as exported (after the masking processor) in <see cref="ExportedSpans"/>.
/// </summary>
internal sealed class LlmTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly List<Activity> _exported;

    private LlmTestHost(IHost host, List<Activity> exported)
    {
        _host = host;
        _exported = exported;
    }

    public IServiceProvider Services => _host.Services;

    public IChatClient Client => Services.GetRequiredService<IChatClient>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>The spans the tracer provider exported so far (only with ServiceDefaults).</summary>
    public IReadOnlyList<Activity> ExportedSpans
    {
        get
        {
            lock (_exported)
            {
                return [.. _exported];
            }
        }
    }

    public static async Task<LlmTestHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings,
        CancellationToken cancellationToken, bool serviceDefaults = false, TimeProvider? timeProvider = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        var exported = new List<Activity>();
        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
        }

        builder.Logging.AddFakeLogging();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.AddLlmProviders();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new LlmTestHost(host, exported);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
