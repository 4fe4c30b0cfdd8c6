using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Ties the OpenTelemetry providers to the host: builds them when the host starts (before the server accepts a
/// request, so the first one is traced) and shuts them down once every hosted service has stopped, which exports
/// whatever is still buffered, within the host's shutdown timeout.
/// </summary>
internal sealed partial class TelemetryLifetimeService(
    IServiceProvider services, IOptions<HostOptions> hostOptions, ILogger<TelemetryLifetimeService> logger)
    : IHostedLifecycleService
{
    private readonly List<BaseProvider> _providers = [];

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<TelemetrySettings>();
        _providers.Add(services.GetRequiredService<TracerProvider>());
        _providers.Add(services.GetRequiredService<MeterProvider>());
        if (services.GetService<LoggerProvider>() is { } loggerProvider)
        {
            _providers.Add(loggerProvider);
        }

        if (settings.Endpoint is null)
        {
            LogExportDisabled(logger);
        }
        else
        {
            LogExportEnabled(logger, settings.Endpoint, settings.Protocol, settings.ServiceName);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Traces first, logs last, so log records written while the others shut down are still exported. The SDK's
        // shutdown blocks, so it runs on the thread pool; the host stops waiting when its shutdown timeout fires.
        var timeout = (int)Math.Clamp(hostOptions.Value.ShutdownTimeout.TotalMilliseconds, 0, int.MaxValue);
        var shutdown = Task.Run(
            () =>
            {
                foreach (var provider in _providers)
                {
                    Shutdown(provider, timeout);
                }
            },
            CancellationToken.None);
        return shutdown.WaitAsync(cancellationToken);
    }

    private static void Shutdown(BaseProvider provider, int timeoutMilliseconds)
    {
        switch (provider)
        {
            case TracerProvider tracer:
                tracer.Shutdown(timeoutMilliseconds);
                break;
            case MeterProvider meter:
                meter.Shutdown(timeoutMilliseconds);
                break;
            case LoggerProvider logs:
                logs.Shutdown(timeoutMilliseconds);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OpenTelemetry export is off: OTEL_EXPORTER_OTLP_ENDPOINT is not set")]
    private static partial void LogExportDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "OpenTelemetry exports to {Endpoint} over {Protocol} as service {ServiceName}")]
    private static partial void LogExportEnabled(
        ILogger logger, Uri endpoint, OtlpExportProtocol protocol, string serviceName);
}
