namespace Observability.Dashboard.Storage;

/// <summary>Registers the bounded in-memory stores, the journal and its replay.</summary>
internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddTelemetryStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DropCounters>();
        services.AddSingleton<ResourceRegistry>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<TelemetryNotifier>();
        services.AddSingleton<TelemetryJournal>();
        services.AddHostedService<JournalReplayService>();
        return builder;
    }
}
