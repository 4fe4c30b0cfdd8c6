using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.TestInfrastructure.Otlp;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The contract other features rely on: what they register through the public
/// <c>services.ConfigureOpenTelemetry{Tracer,Meter,Logger}Provider</c> calls before <c>AddServiceDefaults</c> is part
/// of the host's providers and runs before the OTLP exporters; generic hosts (workers) get the same.
/// </summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed partial class ProviderContractTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly ActivitySource Source = new(typeof(ProviderContractTests).FullName!);

    [Fact]
    public async Task ConfigureProviders_RegisteredBeforeDefaults_RunBeforeOtlpExport()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var reader = new InMemoryReader();

        await using (var app = await TelemetryTestApp.StartAsync(
            TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf),
            webApp => webApp.MapGet("/secret", (ILogger<ProviderContractTests> logger) =>
            {
                using (var dropped = Source.StartActivity("dropped.work"))
                {
                    dropped?.SetTag("drop.me", true);
                }

                using var activity = Source.StartActivity("secret.work");
                activity?.SetTag("card.number", "4111111111111111");
                LogCard(logger, "4111111111111111");
                return "ok";
            }),
            ct,
            builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new MaskingActivityProcessor()));
                builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new MaskingLogProcessor()));
                builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(reader));
            }))
        {
            using var response = await app.Client.GetAsync("/secret", ct);
            response.EnsureSuccessStatusCode();
        }

        // Un-recording a span in OnEnd only keeps it from the exporter if it runs before the export processor.
        Assert.DoesNotContain(receiver.Spans, s => s.Name == "dropped.work");
        var span = Assert.Single(receiver.Spans, s => s.Name == "secret.work");
        Assert.Equal("****", span.GetString("card.number"));
        var log = Assert.Single(receiver.LogRecords, r => r.Attributes.ContainsKey("Card"));
        Assert.Equal("****", log.GetString("Card"));
        Assert.False(receiver.AnyRequestContains("4111111111111111"));
        Assert.True(reader.Collected, "The meter provider never collected through the reader registered by another feature.");
    }

    [Fact]
    public async Task AddServiceDefaults_GenericHost_ExportsOwnSpansLogsAndMetricsAndFlushesOnShutdown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var builder = Host.CreateApplicationBuilder();
        foreach (var (key, value) in receiver.ExporterSettings(OtlpTransport.Grpc))
        {
            builder.Configuration[key] = value;
        }

        builder.Configuration["OTEL_SERVICE_NAME"] = "worker";
        builder.AddServiceDefaults();
        using var host = builder.Build();
        using var meter = new Meter(typeof(ProviderContractTests).FullName + ".Worker");
        var processed = meter.CreateCounter<long>("worker.jobs.processed", "{job}");

        await host.StartAsync(ct);
        var logger = host.Services.GetRequiredService<ILogger<ProviderContractTests>>();
        using (var job = Source.StartActivity("worker.job", ActivityKind.Consumer))
        {
            // A consumer restores the producer's correlation ID after its span started.
            job?.SetBaggage("correlation.id", "job-17");
            LogJob(logger, 17);
            processed.Add(1);
        }

        // Stopped, then disposed, as Run() ends: the providers' shutdown delivers what is still buffered.
        await host.StopAsync(ct);
        host.Dispose();

        var span = Assert.Single(receiver.Spans, s => s.Name == "worker.job");
        Assert.Equal(OtlpSpanKind.Consumer, span.Kind);
        Assert.Equal("worker", span.Resource.ServiceName);
        Assert.Equal("job-17", span.GetString("correlation.id"));
        var log = Assert.Single(receiver.LogRecords, r => r.BodyText == "Job 17 processed");
        Assert.Equal(span.TraceId, log.TraceId);
        Assert.Equal("job-17", log.GetString("correlation.id"));
        var metric = Assert.Single(receiver.Metrics, m => m.Name == "worker.jobs.processed");
        Assert.Equal(1L, Assert.Single(metric.DataPoints).IntValue);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card} charged")]
    private static partial void LogCard(ILogger logger, string card);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} processed")]
    private static partial void LogJob(ILogger logger, int jobId);

    private sealed class MaskingActivityProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("drop.me") is not null)
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }

            if (data.GetTagItem("card.number") is not null)
            {
                data.SetTag("card.number", "****");
            }
        }
    }

    private sealed class MaskingLogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.Attributes is { } attributes && attributes.Any(a => a.Key == "Card"))
            {
                data.Attributes = [.. attributes.Select(a => a.Key == "Card" ? new KeyValuePair<string, object?>("Card", "****") : a)];
                data.FormattedMessage = null;
            }
        }
    }

    private sealed class InMemoryReader(CountingExporter counting) : BaseExportingMetricReader(counting)
    {
        public InMemoryReader()
            : this(new CountingExporter())
        {
        }

        public bool Collected => counting.Batches > 0;
    }

    private sealed class CountingExporter : BaseExporter<Metric>
    {
        public int Batches { get; private set; }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            Batches++;
            return ExportResult.Success;
        }
    }
}
