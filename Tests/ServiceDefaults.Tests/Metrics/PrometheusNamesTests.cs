using Observability.ServiceDefaults.Metrics;

namespace Observability.ServiceDefaults.Tests.Metrics;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", "Histogram", "http_server_request_duration_seconds", "http_server_request_duration_seconds")]
    [InlineData("http.server.active_requests", "{request}", "Gauge", "http_server_active_requests", "http_server_active_requests")]
    [InlineData("requests", "{request}", "Counter", "requests", "requests_total")]
    [InlineData("requests_total", "", "Counter", "requests", "requests_total")]
    [InlineData("io.transferred", "By", "Counter", "io_transferred_bytes", "io_transferred_bytes_total")]
    [InlineData("latency", "ms", "Histogram", "latency_milliseconds", "latency_milliseconds")]
    [InlineData("cpu.utilization", "1", "Gauge", "cpu_utilization_ratio", "cpu_utilization_ratio")]
    [InlineData("cpu.utilization", "1", "Counter", "cpu_utilization", "cpu_utilization_total")]
    [InlineData("throughput", "By/s", "Gauge", "throughput_bytes_per_second", "throughput_bytes_per_second")]
    [InlineData("rate", "{request}/s", "Gauge", "rate_per_second", "rate_per_second")]
    [InlineData("queue.wait_seconds", "s", "Histogram", "queue_wait_seconds", "queue_wait_seconds")]
    [InlineData("2xx-responses", "", "Counter", "_2xx_responses", "_2xx_responses_total")]
    [InlineData("a..b//c", "", "Gauge", "a_b_c", "a_b_c")]
    [InlineData("ns:metric", "", "Gauge", "ns:metric", "ns:metric")]
    [InlineData("disk.usage", "%", "Gauge", "disk_usage_percent", "disk_usage_percent")]
    public void Create_OpenTelemetryName_FollowsCompatibilitySpecification(string name, string unit, string type, string family, string sample)
    {
        var result = PrometheusMetricName.Create(name, unit, Enum.Parse<PrometheusMetricType>(type));

        Assert.Equal(family, result.FamilyName);
        Assert.Equal(sample, result.SampleName);
    }

    [Theory]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("service:name", "service_name")]
    [InlineData("9lives", "_9lives")]
    [InlineData("über", "_ber")]
    [InlineData("already_valid", "already_valid")]
    public void SanitizeLabelName_InvalidCharacters_BecomeUnderscores(string key, string expected)
    {
        Assert.Equal(expected, PrometheusNames.SanitizeLabelName(key));
    }
}
