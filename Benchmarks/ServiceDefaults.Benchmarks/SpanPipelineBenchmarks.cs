using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>
/// What ServiceDefaults adds to one HTTP server span on top of the OpenTelemetry instrumentation: the correlation-ID
/// processor (start and end) and masking at the end. Both benchmarks record the same span with the attributes the
/// ASP.NET Core instrumentation sets and the correlation ID in its baggage; <see cref="InstrumentedSpan"/> stops
/// there, so the difference between the two is our cost per span (goal: at most 1 µs).
/// </summary>
[MemoryDiagnoser]
public class SpanPipelineBenchmarks : IDisposable
{
    private readonly ActivitySource _source = new("Observability.Benchmarks.Spans");
    private readonly ActivityListener _listener;
    private readonly MaskingActivityProcessor _masking = new(new SensitiveDataMasker(new SensitiveDataMaskingOptions()));
    private readonly CorrelationIdActivityProcessor _correlation = new();

    public SpanPipelineBenchmarks()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A recorded server span with the instrumentation's attributes, nothing of ours.</summary>
    [Benchmark(Baseline = true)]
    public Activity InstrumentedSpan()
    {
        var activity = Start();
        activity.Stop();
        return activity;
    }

    /// <summary>The same span through our correlation-ID and masking processors, as ServiceDefaults runs it.</summary>
    [Benchmark]
    public Activity CorrelatedAndMaskedSpan()
    {
        var activity = Start();
        _correlation.OnStart(activity);
        activity.Stop();
        _correlation.OnEnd(activity);
        _masking.OnEnd(activity);
        return activity;
    }

    /// <summary>The same span through the correlation-ID processor only.</summary>
    [Benchmark]
    public Activity CorrelatedSpan()
    {
        var activity = Start();
        _correlation.OnStart(activity);
        activity.Stop();
        _correlation.OnEnd(activity);
        return activity;
    }

    /// <summary>The same span through the masking processor only.</summary>
    [Benchmark]
    public Activity MaskedSpan()
    {
        var activity = Start();
        activity.Stop();
        _masking.OnEnd(activity);
        return activity;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
        _masking.Dispose();
        _correlation.Dispose();
        GC.SuppressFinalize(this);
    }

    private Activity Start()
    {
        var activity = _source.StartActivity("Microsoft.AspNetCore.Hosting.HttpRequestIn", ActivityKind.Server)!;
        activity.SetBaggage(CorrelationId.BaggageKey, "e4d775ee1d0d47369b43996866529082");
        activity.DisplayName = "GET /api/workflows/{id}";
        activity.SetTag("server.address", "127.0.0.1");
        activity.SetTag("server.port", 5080);
        activity.SetTag("http.request.method", "GET");
        activity.SetTag("url.scheme", "http");
        activity.SetTag("url.path", "/api/workflows/7f3c2a");
        activity.SetTag("url.query", "?include=Redacted&token=Redacted");
        activity.SetTag("network.protocol.version", "1.1");
        activity.SetTag("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench");
        activity.SetTag("http.route", "/api/workflows/{id}");
        activity.SetTag("http.response.status_code", 200);
        return activity;
    }
}
