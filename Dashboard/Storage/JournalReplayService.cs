using System.Diagnostics;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;

namespace Observability.Dashboard.Storage;

/// <summary>Rebuilds the store from the journal before the server accepts requests; then enforces retention hourly.</summary>
internal sealed class JournalReplayService(
    TelemetryJournal journal, OtlpIngestor ingestor, TimeProvider time, IOptions<StorageOptions> options, ILogger<JournalReplayService> logger)
    : BackgroundService
{
    private static readonly TimeSpan s_retentionInterval = TimeSpan.FromHours(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (journal.IsEnabled)
        {
            var stopwatch = Stopwatch.StartNew();
            var records = 0;
            long bytes = 0;
            foreach (var record in journal.ReadAll())
            {
                cancellationToken.ThrowIfCancellationRequested();
                ingestor.Replay(record);
                records++;
                bytes += record.Payload.Length;
            }

            Log.Replayed(logger, records, bytes, options.Value.DataDirectory!, stopwatch.ElapsedMilliseconds);
        }
        else
        {
            Log.MemoryOnly(logger);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!journal.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(s_retentionInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            journal.EnforceRetention();
        }
    }
}
