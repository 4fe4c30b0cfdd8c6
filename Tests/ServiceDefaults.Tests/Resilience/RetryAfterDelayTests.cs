using System.Net.Http.Headers;
using Observability.ServiceDefaults.Resilience;

namespace Observability.ServiceDefaults.Tests.Resilience;

public sealed class RetryAfterDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryGet_DeltaSeconds_ReturnsTheDelta()
    {
        using var response = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)) } };

        Assert.True(RetryAfterDelay.TryGet(response, Now, Cap, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(3), delay);
    }

    [Fact]
    public void TryGet_HttpDate_ReturnsTheTimeUntilThatDate()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 22 Nov 2026 12:00:04 GMT");

        Assert.True(RetryAfterDelay.TryGet(response, Now, Cap, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(4), delay);
    }

    [Fact]
    public void TryGet_MoreThanTheCap_ReturnsTheCap()
    {
        using var response = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(5)) } };

        Assert.True(RetryAfterDelay.TryGet(response, Now, Cap, out var delay));
        Assert.Equal(Cap, delay);
    }

    [Fact]
    public void TryGet_DateInThePast_ReturnsZero()
    {
        using var response = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(-30)) } };

        Assert.True(RetryAfterDelay.TryGet(response, Now, Cap, out var delay));
        Assert.Equal(TimeSpan.Zero, delay);
    }

    [Fact]
    public void TryGet_NoHeader_ReturnsFalse()
    {
        using var response = new HttpResponseMessage();

        Assert.False(RetryAfterDelay.TryGet(response, Now, Cap, out _));
    }
}
