using Observability.WebSocketHub.Configuration;

namespace Observability.WebSocketHub.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new ValidateWebSocketHubOptions().Validate(null, new WebSocketHubOptions()).Succeeded);

    [Theory]
    [InlineData("MaxMessageBytes")]
    [InlineData("MaxQueuedMessages")]
    [InlineData("HeartbeatInterval")]
    [InlineData("RunStateTimeout")]
    [InlineData("EventLagTolerance")]
    [InlineData("AllowedOrigins")]
    public void Validate_BadValue_NamesTheKey(string key)
    {
        var options = new WebSocketHubOptions();
        switch (key)
        {
            case "MaxMessageBytes":
                options.MaxMessageBytes = 0;
                break;
            case "MaxQueuedMessages":
                options.MaxQueuedMessages = 1;
                break;
            case "HeartbeatInterval":
                options.HeartbeatInterval = TimeSpan.Zero;
                break;
            case "RunStateTimeout":
                options.RunStateTimeout = TimeSpan.FromMinutes(2);
                break;
            case "EventLagTolerance":
                options.EventLagTolerance = TimeSpan.FromSeconds(-1);
                break;
            default:
                options.AllowedOrigins.Add("https://app.example.com/path");
                break;
        }

        var result = new ValidateWebSocketHubOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"WebSocketHub:{key}", result.FailureMessage, StringComparison.Ordinal);
    }
}
