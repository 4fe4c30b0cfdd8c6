using System.Net;
using Observability.ServiceDefaults.Resilience;
using Polly;
using Polly.Timeout;

namespace Observability.ServiceDefaults.Tests.Resilience;

public sealed class HttpTransientPredicatesTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.OK, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void IsTransient_StatusCode_MatchesTheStandardSet(HttpStatusCode statusCode, bool expected) =>
        Assert.Equal(expected, HttpTransientPredicates.IsTransient(statusCode));

    [Fact]
    public void IsTransient_Exceptions_OnlyNetworkFailuresAndAttemptTimeouts()
    {
        Assert.True(HttpTransientPredicates.IsTransient(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"))));
        Assert.True(HttpTransientPredicates.IsTransient(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException())));
        Assert.False(HttpTransientPredicates.IsTransient(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException())));
    }

    [Theory]
    [InlineData("GET", false, true)]
    [InlineData("HEAD", false, true)]
    [InlineData("POST", false, false)]
    [InlineData("PUT", false, false)]
    [InlineData("PATCH", false, false)]
    [InlineData("DELETE", false, false)]
    [InlineData("POST", true, true)]
    [InlineData("DELETE", true, true)]
    public void MayRetry_MethodAndIdempotencyKey_OnlySafeOrKeyedRequests(string method, bool withKey, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://example.test/");
        if (withKey)
        {
            request.Headers.Add("Idempotency-Key", "k");
        }

        Assert.Equal(expected, HttpTransientPredicates.MayRetry(request));
    }
}
