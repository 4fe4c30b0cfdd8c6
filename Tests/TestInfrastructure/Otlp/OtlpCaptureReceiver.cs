using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// A real OTLP receiver for tests: Kestrel on two free loopback ports, one serving OTLP/HTTP protobuf
/// (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>), one OTLP/gRPC over HTTP/2 cleartext. It counts what
/// arrives (<see cref="Counts"/>) and, in <see cref="OtlpCaptureMode.Keep"/> mode (the default), keeps every request
/// (raw bytes and headers) and the decoded spans, log records and metrics, and lets tests await them.
/// </summary>
public sealed class OtlpCaptureReceiver : IAsyncDisposable
{
    private const string UntracedName = "OtlpCaptureReceiver.Untraced";

    private readonly WebApplication _app;
    private readonly CapturedItems<OtlpCapturedRequest> _requests = new("OTLP requests");
    private readonly CapturedItems<OtlpSpan> _spans = new("spans");
    private readonly CapturedItems<OtlpLogRecord> _logs = new("log records");
    private readonly CapturedItems<OtlpMetric> _metrics = new("metrics");
    private readonly CapturedItems<string> _errors = new("errors");
    private readonly OtlpCaptureMode _mode;

    private OtlpCaptureReceiver(WebApplication app, OtlpCaptureMode mode) => (_app, _mode) = (app, mode);

    /// <summary>The OTLP/HTTP base address, such as <c>http://127.0.0.1:41234</c> (no signal path).</summary>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary>The OTLP/gRPC address, such as <c>http://127.0.0.1:41235</c>.</summary>
    public Uri GrpcEndpoint { get; private set; } = null!;

    /// <summary>Every export request received so far, in arrival order.</summary>
    public IReadOnlyList<OtlpCapturedRequest> Requests => _requests.Snapshot();

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans => _spans.Snapshot();

    /// <summary>Every log record received so far.</summary>
    public IReadOnlyList<OtlpLogRecord> LogRecords => _logs.Snapshot();

    /// <summary>Every metric received so far (one entry per metric per export).</summary>
    public IReadOnlyList<OtlpMetric> Metrics => _metrics.Snapshot();

    /// <summary>Requests the receiver could not decode (a non-empty list means the exporter sent something wrong).</summary>
    public IReadOnlyList<string> Errors => _errors.Snapshot();

    /// <summary>What arrived, counted per signal and per trace (in either mode).</summary>
    public OtlpTelemetryCounts Counts { get; } = new();

    /// <summary>Starts a receiver on two free loopback ports that keeps everything it receives.</summary>
    public static Task<OtlpCaptureReceiver> StartAsync(CancellationToken cancellationToken = default)
        => StartAsync(OtlpCaptureMode.Keep, cancellationToken);

    /// <summary>Starts a receiver on two free loopback ports; <paramref name="mode"/> says what it keeps besides its counts.</summary>
    public static async Task<OtlpCaptureReceiver> StartAsync(OtlpCaptureMode mode, CancellationToken cancellationToken = default)
    {
        ListenOptions? http = null, grpc = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                http = listen;
            });
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                // Cleartext HTTP/2 with prior knowledge, as OTLP/gRPC exporters speak it to http:// endpoints.
                listen.Protocols = HttpProtocols.Http2;
                grpc = listen;
            });
        });

        // The receiver's own requests must not become spans or metrics: a service under test listening to
        // "Microsoft.AspNetCore" would export a span for every export it makes, a feedback loop. Hosting and Kestrel
        // take their ActivitySource, DiagnosticListener and meters from DI.
        builder.Services.AddSingleton(_ => new ActivitySource(UntracedName));
        builder.Services.AddSingleton(_ => new DiagnosticListener(UntracedName));
        builder.Services.AddSingleton<IMeterFactory>(_ => new UntracedMeterFactory(UntracedName));

        var app = builder.Build();
        var receiver = new OtlpCaptureReceiver(app, mode);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel writes the port it bound back into each ListenOptions.
        receiver.HttpEndpoint = EndpointOf(http);
        receiver.GrpcEndpoint = EndpointOf(grpc);
        return receiver;
    }

    /// <summary>
    /// The settings that point an OpenTelemetry SDK at this receiver: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, ready for <c>AddInMemoryCollection</c> or environment variables.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ExporterSettings(OtlpTransport transport) =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = EndpointFor(transport).ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = OtlpRoutes.ProtocolName(transport),
        };

    /// <summary>The endpoint of a transport.</summary>
    public Uri EndpointFor(OtlpTransport transport) => transport == OtlpTransport.Grpc ? GrpcEndpoint : HttpEndpoint;

    /// <summary>True when any request received so far carries the UTF-8 bytes of <paramref name="text"/>.</summary>
    public bool AnyRequestContains(string text) => Requests.Any(request => request.ContainsText(text));

    /// <summary>Completes with the first span matching <paramref name="predicate"/>, received before or after the call.</summary>
    public async Task<OtlpSpan> WaitForSpanAsync(
        Func<OtlpSpan, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await _spans.WaitAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Completes when at least <paramref name="count"/> matching spans have arrived; returns all matches.</summary>
    public Task<IReadOnlyList<OtlpSpan>> WaitForSpansAsync(
        Func<OtlpSpan, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        _spans.WaitAsync(predicate, count, timeout, cancellationToken);

    /// <summary>Completes with the first log record matching <paramref name="predicate"/>.</summary>
    public async Task<OtlpLogRecord> WaitForLogRecordAsync(
        Func<OtlpLogRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await _logs.WaitAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Completes when at least <paramref name="count"/> matching log records have arrived.</summary>
    public Task<IReadOnlyList<OtlpLogRecord>> WaitForLogRecordsAsync(
        Func<OtlpLogRecord, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        _logs.WaitAsync(predicate, count, timeout, cancellationToken);

    /// <summary>Completes with the first metric matching <paramref name="predicate"/>.</summary>
    public async Task<OtlpMetric> WaitForMetricAsync(
        Func<OtlpMetric, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await _metrics.WaitAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Completes with the first export request matching <paramref name="predicate"/>.</summary>
    public async Task<OtlpCapturedRequest> WaitForRequestAsync(
        Func<OtlpCapturedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await _requests.WaitAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Uri EndpointOf(ListenOptions? options) =>
        options?.IPEndPoint is { Port: > 0 } endPoint
            ? new Uri($"http://127.0.0.1:{endPoint.Port}")
            : throw new InvalidOperationException("Kestrel did not report the bound OTLP receiver port.");

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !OtlpRoutes.TryMatch(request.Path.Value ?? string.Empty, out var signal, out var transport))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var raw = buffer.ToArray();

        string? error = null;
        try
        {
            var encoding = transport == OtlpTransport.Grpc
                ? request.Headers["grpc-encoding"].ToString()
                : request.Headers.ContentEncoding.ToString();
            var payload = OtlpBodyReader.ReadPayload(raw, transport, encoding);
            if (_mode == OtlpCaptureMode.Keep)
            {
                var headers = request.Headers.ToDictionary(
                    header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                _requests.AddRange([NewRequest(context, signal, transport, headers, raw, payload)]);
                Store(signal, payload);
            }

            Counts.Add(signal, payload);
        }
        catch (InvalidDataException exception)
        {
            error = $"{transport} {signal} request of {raw.Length} bytes: {exception.Message}";
            _errors.AddRange([error]);
        }

        await RespondAsync(context, transport, error).ConfigureAwait(false);
    }

    private static OtlpCapturedRequest NewRequest(
        HttpContext context,
        OtlpSignal signal,
        OtlpTransport transport,
        Dictionary<string, string> headers,
        byte[] raw,
        byte[] payload) =>
        new()
        {
            Signal = signal,
            Transport = transport,
            Path = context.Request.Path.Value ?? string.Empty,
            Protocol = context.Request.Protocol,
            Headers = headers,
            RawBody = raw,
            Payload = payload,
        };

    private void Store(OtlpSignal signal, byte[] payload)
    {
        switch (signal)
        {
            case OtlpSignal.Traces:
                _spans.AddRange(OtlpDecoder.DecodeTraces(payload));
                break;
            case OtlpSignal.Metrics:
                _metrics.AddRange(OtlpDecoder.DecodeMetrics(payload));
                break;
            default:
                _logs.AddRange(OtlpDecoder.DecodeLogs(payload));
                break;
        }
    }

    private static async Task RespondAsync(HttpContext context, OtlpTransport transport, string? error)
    {
        var response = context.Response;
        if (transport == OtlpTransport.HttpProtobuf)
        {
            // An empty Export*ServiceResponse is zero bytes of protobuf.
            response.StatusCode = error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            response.ContentType = "application/x-protobuf";
            response.ContentLength = 0;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        if (error is null)
        {
            await response.Body.WriteAsync(OtlpBodyReader.EmptyGrpcMessage, context.RequestAborted).ConfigureAwait(false);
            response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            // INVALID_ARGUMENT: the exporter sent a message that does not decode.
            response.AppendTrailer("grpc-status", "3");
            response.AppendTrailer("grpc-message", Uri.EscapeDataString(error));
        }
    }
}
