using Observability.TestInfrastructure.Prometheus;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observability.ServiceDefaults.Metrics;
using Observability.ServiceDefaults.Tests.Health;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Observability.ServiceDefaults.Tests.Metrics;

[Trait("Category", "Integration")]
public sealed class PrometheusEndpointTests
{
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /// <summary>A Kestrel host serving /metrics from the host's MeterProvider (our meter plus ASP.NET Core's).</summary>
    private sealed class MetricsHost : IAsyncDisposable
    {
        private MetricsHost(TestWebHost web, Meter meter, ConcurrentQueue<string> acceptHeaders)
        {
            Web = web;
            AcceptHeaders = acceptHeaders;
            Meter = meter;
        }

        public TestWebHost Web { get; }

        /// <summary>The <c>Accept</c> header of every request the host received.</summary>
        public ConcurrentQueue<string> AcceptHeaders { get; }

        public Meter Meter { get; }

        public static async Task<MetricsHost> StartAsync(CancellationToken ct, Dictionary<string, string?>? settings = null)
        {
            var meter = new Meter("Observability.Tests.Endpoint" + Guid.NewGuid().ToString("N"), "3.1.0");
            var acceptHeaders = new ConcurrentQueue<string>();
            var web = await TestWebHost.StartAsync(
                builder =>
                {
                    builder.Configuration.AddInMemoryCollection(settings ?? []);
                    builder.Services.AddOpenTelemetry()
                        .ConfigureResource(resource => resource.AddService("checkout", serviceInstanceId: "pod \"a\"\\1"))
                        .WithMetrics(metrics => metrics.AddMeter(meter.Name).AddAspNetCoreInstrumentation());
                    builder.AddPrometheusMetrics();
                },
                app =>
                {
                    app.Use((context, next) =>
                    {
                        acceptHeaders.Enqueue(context.Request.Headers.Accept.ToString());
                        return next(context);
                    });
                    app.MapPrometheusMetrics();
                    app.MapGet("/hello/{name}", (string name) => $"hello {name}");
                },
                ct);
            return new MetricsHost(web, meter, acceptHeaders);
        }

        public async ValueTask DisposeAsync()
        {
            await Web.DisposeAsync();
            Meter.Dispose();
        }
    }

    [Fact]
    public async Task Metrics_LiveScrapeOfEveryInstrumentKind_PassesPromtool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await MetricsHost.StartAsync(ct);
        var meter = host.Meter;
        meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed").Add(3, new KeyValuePair<string, object?>("shop.channel", "web \"beta\"\\eu\nnorth"));
        meter.CreateCounter<double>("shop.payment.amount", "{EUR}", "Money taken").Add(12.5);
        meter.CreateUpDownCounter<int>("shop.carts.open", "{cart}", "Open carts").Add(-2);
        meter.CreateObservableGauge("shop.stock.fill", () => 0.25, "1", "Stock level");
        meter.CreateGauge<double>("shop.temperature", "Cel", "Cold room temperature").Record(-18.5);
        var histogram = meter.CreateHistogram<double>("shop.checkout.duration", "s", "Checkout time\nend to end");
        histogram.Record(0.2, new KeyValuePair<string, object?>("shop.step", "pay"));
        histogram.Record(7, new KeyValuePair<string, object?>("shop.step", "pay"));
        for (var i = 0; i < 3; i++)
        {
            (await host.Web.Client.GetAsync($"/hello/{i}", ct)).Dispose();
        }

        using var response = await host.Web.Client.GetAsync("/metrics", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body, ct);

        Assert.True(Promtool.Accepts(exitCode, output), $"promtool check metrics exited {exitCode}:\n{output}\n--- scrape ---\n{body}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", body, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/hello/{name}\"", body, StringComparison.Ordinal);
        Assert.Contains("shop_channel=\"web \\\"beta\\\"\\\\eu\\nnorth\"} 3\n", body, StringComparison.Ordinal);
        // The exporter (1.20.1-beta.1) does not add the specification's "_ratio" suffix for unit "1".
        Assert.Contains("shop_stock_fill{", body, StringComparison.Ordinal);
        Assert.Contains("shop_temperature_celsius{", body, StringComparison.Ordinal);
        Assert.Contains("service_instance_id=\"pod \\\"a\\\"\\\\1\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ScrapedByRealPrometheus_TargetIsUpAndValuesQueryable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var host = await MetricsHost.StartAsync(ct);
        host.Meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed").Add(3, new KeyValuePair<string, object?>("shop.channel", "web \"beta\"\\eu\nnorth"));
        host.Meter.CreateHistogram<double>("shop.checkout.duration", "s", "Checkout time").Record(0.2);
        (await host.Web.Client.GetAsync("/metrics", ct)).Dispose();
        await using var prometheus = await PrometheusServer.StartAsync(host.Web.Client.BaseAddress!, "/metrics");

        var (health, lastError) = await prometheus.WaitForScrapeAsync(cts.Token);

        Assert.True(health == "up", $"Prometheus could not scrape /metrics: {lastError}");
        Assert.Contains(host.AcceptHeaders, accept => accept.StartsWith("application/openmetrics-text", StringComparison.Ordinal));
        Assert.Equal("3", await prometheus.QueryScalarAsync("shop_orders_total{shop_channel=\"web \\\"beta\\\"\\\\eu\\nnorth\"}", cts.Token));
        Assert.Equal("1", await prometheus.QueryScalarAsync("shop_checkout_duration_seconds_count", cts.Token));
        Assert.Equal("1", await prometheus.QueryScalarAsync("target_info{service_name=\"checkout\"}", cts.Token));
        Assert.NotEqual("0", await prometheus.QueryScalarAsync("sum(http_server_request_duration_seconds_count)", cts.Token));
    }

    [Fact]
    public async Task Metrics_PrometheusAcceptHeader_AnswersOpenMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await MetricsHost.StartAsync(ct);
        host.Meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed").Add(1);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);

        using var response = await host.Web.Client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE shop_orders counter\n", body, StringComparison.Ordinal);
        Assert.Contains("shop_orders_total{", body, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_DisabledInConfiguration_PathNotMappedAndTheAppStillServes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await MetricsHost.StartAsync(ct, new() { ["Metrics:Prometheus:Enabled"] = "false" });
        host.Meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed").Add(1);

        using var metrics = await host.Web.Client.GetAsync("/metrics", ct);
        using var hello = await host.Web.Client.GetAsync("/hello/ada", ct);

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
    }

    [Fact]
    public async Task Metrics_TextAccepted_AnswersTextFormatWithoutEof()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await MetricsHost.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        using var response = await host.Web.Client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# EOF", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ConcurrentScrapesInBothFormats_AllComplete()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await MetricsHost.StartAsync(ct, new() { ["Metrics:Prometheus:ScrapeResponseCacheDurationMilliseconds"] = "0" });
        var counter = host.Meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed");
        counter.Add(5);

        var scrapes = Enumerable.Range(0, 32).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            if (i % 2 == 0)
            {
                request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
            }

            using var response = await host.Web.Client.SendAsync(request, ct);
            return (i % 2 == 0, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        });
        var results = await Task.WhenAll(scrapes);

        Assert.All(results, result =>
        {
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Contains("shop_orders_total{", result.Item3, StringComparison.Ordinal);
            Assert.Equal(result.Item1, result.Item3.EndsWith("# EOF\n", StringComparison.Ordinal));
        });
    }
}
