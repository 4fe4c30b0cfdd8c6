using Microsoft.Net.Http.Headers;
using Observability.ServiceDefaults.Metrics;

namespace Observability.ServiceDefaults.Tests.Metrics;

public sealed class PrometheusContentTypesTests
{
    [Theory]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true)]
    [InlineData("application/openmetrics-text", true)]
    [InlineData("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5", false)]
    [InlineData("text/plain", false)]
    [InlineData("*/*", false)]
    [InlineData("application/openmetrics-text;q=0,text/plain", false)]
    [InlineData("", false)]
    public void Negotiate_AcceptHeader_PicksTheFormat(string accept, bool openMetrics)
    {
        var values = MediaTypeHeaderValue.TryParseList(accept.Length == 0 ? [] : [accept], out var parsed) ? parsed : [];

        var format = PrometheusContentTypes.Negotiate(values);

        Assert.Equal(openMetrics ? PrometheusFormat.OpenMetrics : PrometheusFormat.Text, format);
    }
}
