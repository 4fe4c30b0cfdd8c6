using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>
/// Evaluates the checks of a probe at most once per <see cref="HealthEndpointsOptions.CacheDuration"/>: probes that
/// arrive while an evaluation runs wait for it (single flight), and probes within the window after it completed
/// get its report. The evaluation does not belong to any one request, so a probe that gives up does not cancel it
/// for the others; it stops with the application.
/// </summary>
internal sealed class HealthReportCache
{
    private static readonly Func<HealthCheckRegistration, bool> IsLive = registration => registration.Tags.Contains(HealthTags.Live);
    private static readonly Func<HealthCheckRegistration, bool> IsReady = registration => registration.Tags.Contains(HealthTags.Ready);

    private readonly HealthCheckService _healthChecks;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<HealthEndpointsOptions> _options;
    private readonly CancellationToken _stopping;
    private readonly Lock _lock = new();
    private readonly Evaluation?[] _evaluations = new Evaluation?[Enum.GetValues<HealthProbe>().Length];

    public HealthReportCache(HealthCheckService healthChecks, TimeProvider timeProvider, IOptionsMonitor<HealthEndpointsOptions> options, IHostApplicationLifetime lifetime)
    {
        _healthChecks = healthChecks;
        _timeProvider = timeProvider;
        _options = options;
        _stopping = lifetime.ApplicationStopping;
    }

    public Task<HealthReport> GetReportAsync(HealthProbe probe, CancellationToken cancellationToken)
    {
        Evaluation evaluation;
        var start = false;
        lock (_lock)
        {
            var current = _evaluations[(int)probe];
            if (current is null || IsStale(current))
            {
                current = new Evaluation();
                _evaluations[(int)probe] = current;
                start = true;
            }

            evaluation = current;
        }

        if (start)
        {
            _ = EvaluateAsync(probe, evaluation);
        }

        return evaluation.Report.Task.WaitAsync(cancellationToken);
    }

    private bool IsStale(Evaluation evaluation)
    {
        if (evaluation.Failed)
        {
            return true;
        }

        if (evaluation.CompletedAt is not { } completedAt)
        {
            // Still running: join it.
            return false;
        }

        var age = _timeProvider.GetUtcNow() - completedAt;
        return age < TimeSpan.Zero || age >= _options.CurrentValue.CacheDuration;
    }

    private async Task EvaluateAsync(HealthProbe probe, Evaluation evaluation)
    {
        var predicate = probe switch
        {
            HealthProbe.Live => IsLive,
            HealthProbe.Ready => IsReady,
            _ => null,
        };
        try
        {
            var report = await _healthChecks.CheckHealthAsync(predicate, _stopping).ConfigureAwait(false);
            lock (_lock)
            {
                evaluation.CompletedAt = _timeProvider.GetUtcNow();
            }

            evaluation.Report.SetResult(report);
        }
        catch (Exception exception)
        {
            // Only cancellation at shutdown gets here (the service turns failing checks into Unhealthy entries);
            // the next probe evaluates afresh.
            lock (_lock)
            {
                evaluation.Failed = true;
            }

            evaluation.Report.SetException(exception);
        }
    }

    private sealed class Evaluation
    {
        public TaskCompletionSource<HealthReport> Report { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset? CompletedAt { get; set; }

        public bool Failed { get; set; }
    }
}
