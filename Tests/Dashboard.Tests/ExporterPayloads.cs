using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Observability.Dashboard.Tests;

/// <summary>
/// Real OTLP/HTTP protobuf request bodies produced by the OpenTelemetry .NET exporter, captured by an HTTP handler
/// instead of being sent: seeds for fuzzing and input for benchmarks.
/// </summary>
internal static class ExporterPayloads
{
    /// <summary>One export body of <paramref name="spanCount"/> spans (in traces of <paramref name="spansPerTrace"/>) from <paramref name="service"/>.</summary>
    public static byte[] Traces(int spanCount, int spansPerTrace = 10, string service = "payload-service")
    {
        var handler = new CapturingHandler();
        var sourceName = "Payloads." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: service + "-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = new Uri("http://127.0.0.1:1/v1/traces");
                options.HttpClientFactory = () => new HttpClient(handler);
                options.BatchExportProcessorOptions = new BatchExportProcessorOptions<Activity>
                {
                    MaxExportBatchSize = spanCount,
                    MaxQueueSize = spanCount * 2,
                    ScheduledDelayMilliseconds = 600_000,
                };
            })
            .Build())
        {
            for (var emitted = 0; emitted < spanCount;)
            {
                using var root = source.StartActivity("GET /api/items/{id}", ActivityKind.Server)!;
                root.SetTag("http.request.method", "GET");
                root.SetTag("http.route", "/api/items/{id}");
                root.SetTag("http.response.status_code", 200);
                emitted++;
                for (var i = 1; i < spansPerTrace && emitted < spanCount; i++, emitted++)
                {
                    using var child = source.StartActivity("SELECT items", ActivityKind.Client)!;
                    child.SetTag("db.system.name", "postgresql");
                    child.SetTag("db.query.text", "SELECT * FROM items WHERE id = @id");
                    child.SetTag("server.address", "db.internal");
                }
            }

            provider.ForceFlush(30_000);
        }

        return handler.Bodies.Single();
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<byte[]> Bodies { get; } = [];

        // The exporter sends synchronously; both paths capture.
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream();
            request.Content!.CopyTo(stream, null, cancellationToken);
            return Capture(stream.ToArray());
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Capture(await request.Content!.ReadAsByteArrayAsync(cancellationToken));

        private HttpResponseMessage Capture(byte[] body)
        {
            lock (Bodies)
            {
                Bodies.Add(body);
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        }
    }
}
