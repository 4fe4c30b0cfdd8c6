using Observability.Gateway.Caching;

namespace Observability.Gateway.Tests;

public sealed class RunCacheOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
        => Assert.True(new ValidateRunCacheOptions().Validate(null, new RunCacheOptions()).Succeeded);

    [Fact]
    public void Validate_LocalExpirationAboveExpiration_NamesBothKeys()
    {
        var result = new ValidateRunCacheOptions().Validate(null, new RunCacheOptions { Expiration = TimeSpan.FromMinutes(1), LocalExpiration = TimeSpan.FromMinutes(2) });

        Assert.True(result.Failed);
        Assert.Contains("Gateway:RunCache:LocalExpiration", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Gateway:RunCache:Expiration", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("8.00:00:00")]
    public void Validate_ExpirationOutOfRange_NamesTheKey(string expiration)
    {
        var result = new ValidateRunCacheOptions().Validate(null, new RunCacheOptions { Expiration = TimeSpan.Parse(expiration, System.Globalization.CultureInfo.InvariantCulture), LocalExpiration = TimeSpan.FromSeconds(1) });

        Assert.Contains("Gateway:RunCache:Expiration", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(16 * 1024 * 1024 + 1)]
    public void Validate_MaximumPayloadBytesOutOfRange_NamesTheKey(int bytes)
    {
        var result = new ValidateRunCacheOptions().Validate(null, new RunCacheOptions { MaximumPayloadBytes = bytes });

        Assert.Contains("Gateway:RunCache:MaximumPayloadBytes", result.FailureMessage, StringComparison.Ordinal);
    }
}
