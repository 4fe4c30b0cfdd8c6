namespace Observability.Monitoring.Tests.Live;

/// <summary>The metric-name extraction the live check relies on: it must neither miss a metric nor report a label or function.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up == 0", "up")]
    [InlineData("sum by (job, le) (rate(http_server_request_duration_seconds_bucket{http_route!~\"/metrics|/health\"}[5m]))", "http_server_request_duration_seconds_bucket")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(workflow_duration_seconds_bucket[$__rate_interval])))", "workflow_duration_seconds_bucket")]
    [InlineData("a_total / on (job, instance) group_left (pool) b_max > 0.9", "a_total b_max")]
    [InlineData("(job:x:rate5m or job:y:rate5m * 0) / job:y:rate5m", "job:x:rate5m job:y:rate5m")]
    [InlineData("count by (severity) (ALERTS{alertstate=\"firing\"})", "ALERTS")]
    [InlineData("max by (job) (workflow_jobs_lag) > 50 and max by (job) (delta(workflow_jobs_lag[10m])) > 0", "workflow_jobs_lag")]
    [InlineData("rate(redis_evicted_keys_total[1m]) * 3600 + 1e3", "redis_evicted_keys_total")]
    public void MetricNames_Expression_NamesEveryMetricAndNothingElse(string expr, string expected)
    {
        Assert.Equal(expected.Split(' ').Order(StringComparer.Ordinal), PromQl.MetricNames(expr).Order(StringComparer.Ordinal));
    }
}
