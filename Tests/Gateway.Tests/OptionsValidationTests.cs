using Observability.Gateway.Configuration;
using Observability.Gateway.Outbox;
using Observability.Gateway.RateLimiting;

namespace Observability.Gateway.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new ValidateGatewayOptions().Validate(null, new GatewayOptions()).Succeeded);
        Assert.True(new ValidateGatewayRateLimitOptions().Validate(null, new GatewayRateLimitOptions()).Succeeded);
        Assert.True(new ValidateOutboxRelayOptions().Validate(null, new OutboxRelayOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ZeroTokenLimit_NamesTheKey()
    {
        var result = new ValidateGatewayRateLimitOptions().Validate(null, new GatewayRateLimitOptions { TokenLimit = 0 });

        Assert.Contains("Gateway:RateLimit:TokenLimit", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RelativeDashboardUrl_NamesTheKey()
    {
        var result = new ValidateGatewayOptions().Validate(null, new GatewayOptions { DashboardUrl = new Uri("/dash", UriKind.Relative) });

        Assert.Contains("Gateway:DashboardUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BatchSizeAboveRelayMaximum_NamesTheKey()
    {
        var result = new ValidateOutboxRelayOptions().Validate(null, new OutboxRelayOptions { BatchSize = 501 });

        Assert.Contains("Gateway:Outbox:BatchSize", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Validate_ConcurrentBatchesOutOfRange_NamesTheKey(int loops)
    {
        var result = new ValidateOutboxRelayOptions().Validate(null, new OutboxRelayOptions { ConcurrentBatches = loops });

        Assert.Contains("Gateway:Outbox:ConcurrentBatches", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InitialBackoffAboveMaximum_NamesBothKeys()
    {
        var result = new ValidateOutboxRelayOptions().Validate(null, new OutboxRelayOptions { InitialBackoff = TimeSpan.FromMinutes(1), MaxBackoff = TimeSpan.FromSeconds(1) });

        Assert.Contains("Gateway:Outbox:InitialBackoff", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Gateway:Outbox:MaxBackoff", result.FailureMessage, StringComparison.Ordinal);
    }
}
