using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Masking;
using Observability.ServiceDefaults.Telemetry;

namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>
/// What ServiceDefaults adds to one HTTP server span: semantic-convention enrichment at request and response, the
/// correlation-ID processor, and masking at the end. <see cref="BareSpan"/> is the same span with none of it, so
/// the difference between the two is the cost per span (goal: at most 1 µs).
/// </summary>
[MemoryDiagnoser]
public class SpanPipelineBenchmarks : IDisposable
{
    private readonly ActivitySource _source = new("Observability.Benchmarks.Spans");
    private readonly ActivityListener _listener;
    private readonly MaskingActivityProcessor _masking = new(new SensitiveDataMasker(new SensitiveDataMaskingOptions()));
    private readonly CorrelationIdActivityProcessor _correlation = new();
    private readonly DefaultHttpContext _context;

    public SpanPipelineBenchmarks()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);

        _context = new DefaultHttpContext();
        var request = _context.Request;
        request.Method = "GET";
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1", 5080);
        request.Path = "/api/workflows/7f3c2a";
        request.QueryString = new QueryString("?include=steps&token=abc123");
        request.Protocol = "HTTP/1.1";
        request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) bench";
        _context.Connection.RemoteIpAddress = IPAddress.Loopback;
        _context.Response.StatusCode = 200;
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/workflows/{id}"), 0, EndpointMetadataCollection.Empty, "workflow");
        _context.Features.Set<IEndpointFeature>(new EndpointFeature(endpoint));
    }

    /// <summary>Start and stop of a recorded server span with nothing added.</summary>
    [Benchmark(Baseline = true)]
    public Activity BareSpan()
    {
        var activity = _source.StartActivity("Microsoft.AspNetCore.Hosting.HttpRequestIn", ActivityKind.Server)!;
        activity.Stop();
        return activity;
    }

    /// <summary>The same span enriched, tagged with the correlation ID and masked, as ServiceDefaults does it.</summary>
    [Benchmark]
    public Activity EnrichedAndMaskedSpan()
    {
        var activity = _source.StartActivity("Microsoft.AspNetCore.Hosting.HttpRequestIn", ActivityKind.Server)!;
        _correlation.OnStart(activity);
        HttpServerSpanEnricher.OnRequest(activity, _context);
        activity.SetTag(CorrelationId.BaggageKey, "order-42.retry_1");
        HttpServerSpanEnricher.OnResponse(activity, _context, escapedException: null);
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

    private sealed class EndpointFeature(Endpoint endpoint) : IEndpointFeature
    {
        public Endpoint? Endpoint { get; set; } = endpoint;
    }
}
