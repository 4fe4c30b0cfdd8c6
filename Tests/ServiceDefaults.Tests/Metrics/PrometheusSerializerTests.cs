using System.Diagnostics.Metrics;
using Observability.ServiceDefaults.Metrics;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Tests.Metrics;

public sealed class PrometheusSerializerTests
{
    private static string[] Lines(string body) => body.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Scrape_LongCounter_RendersTotalWithHelpTypeAndLabels()
    {
        using var harness = new ScrapeHarness();
        var counter = harness.Meter.CreateCounter<long>("test.orders", "{order}", "Orders placed");
        counter.Add(2, new KeyValuePair<string, object?>("order.kind", "web"));
        counter.Add(1, new KeyValuePair<string, object?>("order.kind", "web"));

        var lines = Lines(await harness.ScrapeAsync());

        var type = Array.IndexOf(lines, "# TYPE test_orders_total counter");
        Assert.True(type >= 0);
        Assert.Equal("# HELP test_orders_total Orders placed", lines[type + 1]);
        Assert.Equal($"test_orders_total{{{harness.ScopeLabels},order_kind=\"web\"}} 3", lines[type + 2]);
    }

    [Fact]
    public async Task Scrape_DoubleCounterInSeconds_AddsUnitBeforeTotal()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateCounter<double>("test.cpu.time", "s", "CPU time").Add(1.5);

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Contains("# TYPE test_cpu_time_seconds_total counter", lines);
        Assert.Contains($"test_cpu_time_seconds_total{{{harness.ScopeLabels}}} 1.5", lines);
    }

    [Fact]
    public async Task Scrape_UpDownCounter_RendersGaugeThatCanGoNegative()
    {
        using var harness = new ScrapeHarness();
        var depth = harness.Meter.CreateUpDownCounter<long>("test.queue.depth", "{item}", "Items waiting");
        depth.Add(3);
        depth.Add(-5);

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Contains("# TYPE test_queue_depth gauge", lines);
        Assert.Contains($"test_queue_depth{{{harness.ScopeLabels}}} -2", lines);
    }

    [Fact]
    public async Task Scrape_ObservableGaugeWithUnitOne_RendersRatioGauge()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateObservableGauge("test.pool.usage", () => 0.75, "1", "Share of the pool in use");

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Contains("# TYPE test_pool_usage_ratio gauge", lines);
        Assert.Contains($"test_pool_usage_ratio{{{harness.ScopeLabels}}} 0.75", lines);
    }

    [Fact]
    public async Task Scrape_SynchronousGaugeInBytes_RendersBytesGauge()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateGauge<long>("test.memory.limit", "By", "Memory limit").Record(1_048_576);

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Contains("# TYPE test_memory_limit_bytes gauge", lines);
        Assert.Contains($"test_memory_limit_bytes{{{harness.ScopeLabels}}} 1048576", lines);
    }

    [Fact]
    public async Task Scrape_Histogram_RendersCumulativeBucketsSumAndCount()
    {
        using var harness = new ScrapeHarness();
        var histogram = harness.Meter.CreateHistogram<double>(ScrapeHarness.HistogramName, "s", "Request time");
        var get = new KeyValuePair<string, object?>("http.request.method", "GET");
        foreach (var value in new[] { 0.0625, 0.25, 0.25, 2.0 })
        {
            histogram.Record(value, get);
        }

        var lines = Lines(await harness.ScrapeAsync());

        var labels = $"{harness.ScopeLabels},http_request_method=\"GET\"";
        var type = Array.IndexOf(lines, "# TYPE test_request_duration_seconds histogram");
        Assert.True(type >= 0);
        Assert.Equal(
            [
                "# HELP test_request_duration_seconds Request time",
                $"test_request_duration_seconds_bucket{{{labels},le=\"0.1\"}} 1",
                $"test_request_duration_seconds_bucket{{{labels},le=\"0.5\"}} 3",
                $"test_request_duration_seconds_bucket{{{labels},le=\"1\"}} 3",
                $"test_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 4",
                $"test_request_duration_seconds_sum{{{labels}}} 2.5625",
                $"test_request_duration_seconds_count{{{labels}}} 4",
            ],
            lines[(type + 1)..(type + 8)]);
    }

    [Fact]
    public async Task Scrape_LabelValueWithBackslashQuoteAndNewline_IsEscaped()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateCounter<long>("test.files", null, "Files\\seen\nso far").Add(1, new KeyValuePair<string, object?>("path", "C:\\temp \"quoted\"\nline2"));

        var body = await harness.ScrapeAsync();

        Assert.Contains("path=\"C:\\\\temp \\\"quoted\\\"\\nline2\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("# HELP test_files_total Files\\\\seen\\nso far\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_LabelKeysSanitizingToOneName_MergesValues()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateCounter<long>("test.merges", null, "Merges").Add(1, new("a.b", "1"), new("a_b", "2"), new("2fa", true));

        var body = await harness.ScrapeAsync();

        Assert.Contains("a_b=\"1;2\"", body, StringComparison.Ordinal);
        Assert.Contains("_2fa=\"true\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_Resource_RendersTargetInfo()
    {
        using var harness = new ScrapeHarness();

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Equal("# HELP target_info Target metadata", lines[0]);
        Assert.Equal("# TYPE target_info gauge", lines[1]);
        Assert.StartsWith("target_info{", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("} 1", lines[2], StringComparison.Ordinal);
        Assert.Contains("service_name=\"checkout\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("service_version=\"2.0.0\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("service_instance_id=\"i-1\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_OpenMetrics_UsesFamilyNamesUnitLinesInfoTypeAndEof()
    {
        using var harness = new ScrapeHarness();
        harness.Meter.CreateCounter<double>("test.cpu.time", "s", "CPU \"user\" time").Add(1.5);

        var body = await harness.ScrapeAsync(PrometheusFormat.OpenMetrics);
        var lines = Lines(body);

        Assert.Equal(["# TYPE target info", "# HELP target Target metadata"], lines[..2]);
        var type = Array.IndexOf(lines, "# TYPE test_cpu_time_seconds counter");
        Assert.True(type >= 0);
        Assert.Equal("# UNIT test_cpu_time_seconds seconds", lines[type + 1]);
        Assert.Equal("# HELP test_cpu_time_seconds CPU \\\"user\\\" time", lines[type + 2]);
        Assert.Equal($"test_cpu_time_seconds_total{{{harness.ScopeLabels}}} 1.5", lines[type + 3]);
        Assert.EndsWith("\n# EOF\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_SameInstrumentInTwoMeters_SharesOneFamilyHeader()
    {
        using var harness = new ScrapeHarness(configure: builder => builder.AddMeter("Observability.Tests.Second"));
        using var second = new Meter("Observability.Tests.Second");
        harness.Meter.CreateCounter<long>("test.jobs", null, "Jobs").Add(1);
        second.CreateCounter<long>("test.jobs", null, "Jobs").Add(2);

        var lines = Lines(await harness.ScrapeAsync());

        Assert.Single(lines, line => line == "# TYPE test_jobs_total counter");
        Assert.Single(lines, line => line == "# HELP test_jobs_total Jobs");
        Assert.Contains($"test_jobs_total{{{harness.ScopeLabels}}} 1", lines);
        Assert.Contains("test_jobs_total{otel_scope_name=\"Observability.Tests.Second\"} 2", lines);
    }

    [Fact]
    public async Task Scrape_ExponentialHistogram_IsLeftOut()
    {
        using var harness = new ScrapeHarness(configure: builder => builder.AddView("test.payload.size", new Base2ExponentialBucketHistogramConfiguration()));
        harness.Meter.CreateHistogram<long>("test.payload.size", "By", "Payload size").Record(100);
        harness.Meter.CreateCounter<long>("test.visible", null, "Visible").Add(1);

        var body = await harness.ScrapeAsync();

        Assert.DoesNotContain("test_payload_size", body, StringComparison.Ordinal);
        Assert.Contains("test_visible_total", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_WithinCacheDuration_ServesTheSameScrapeUntilTimeMoves()
    {
        using var harness = new ScrapeHarness(cacheDuration: TimeSpan.FromSeconds(1));
        var counter = harness.Meter.CreateCounter<long>("test.hits", null, "Hits");
        counter.Add(1);
        var first = await harness.ScrapeAsync();
        counter.Add(1);

        var cached = await harness.ScrapeAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await harness.ScrapeAsync();

        Assert.Equal(first, cached);
        Assert.Contains($"test_hits_total{{{harness.ScopeLabels}}} 1\n", cached, StringComparison.Ordinal);
        Assert.Contains($"test_hits_total{{{harness.ScopeLabels}}} 2\n", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_ZeroCacheDuration_CollectsEveryTimeWithCumulativeValues()
    {
        using var harness = new ScrapeHarness();
        var counter = harness.Meter.CreateCounter<long>("test.hits", null, "Hits");

        counter.Add(1);
        var first = await harness.ScrapeAsync();
        counter.Add(1);
        var second = await harness.ScrapeAsync();

        Assert.Contains($"test_hits_total{{{harness.ScopeLabels}}} 1\n", first, StringComparison.Ordinal);
        Assert.Contains($"test_hits_total{{{harness.ScopeLabels}}} 2\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_ProviderDisposed_ReturnsNothing()
    {
        using var harness = new ScrapeHarness();
        harness.Provider.Dispose();

        Assert.False(harness.Scraper.IsAttached);
        Assert.Null(await harness.Scraper.ScrapeAsync(PrometheusFormat.Text, TestContext.Current.CancellationToken));
    }
}
