using Observability.Gateway.Apis;

namespace Observability.Gateway.Tests;

public sealed class SubmitWorkflowValidatorTests
{
    [Fact]
    public void Validate_MinimalRequest_HasNoErrors()
        => Assert.Empty(SubmitWorkflowValidator.Validate(new SubmitWorkflowRequest("Do it", null, null, null, null), null));

    [Fact]
    public void Validate_AllFieldsWithinLimits_HasNoErrors()
        => Assert.Empty(SubmitWorkflowValidator.Validate(
            new SubmitWorkflowRequest("Do it", "session-1", "researcher", "openai/gpt-4o-mini", "parallel"), "key-1"));

    [Fact]
    public void Validate_TaskExactly32KBInMultiByteCharacters_CountsBytes()
    {
        var errors = SubmitWorkflowValidator.Validate(new SubmitWorkflowRequest(new string('é', (16 * 1024) + 1), null, null, null, null), null);

        Assert.Contains("task", errors.Keys);
    }

    [Fact]
    public void Validate_SessionIdLongerThanLimit_NamesSessionId()
    {
        var errors = SubmitWorkflowValidator.Validate(new SubmitWorkflowRequest("t", new string('s', 129), null, null, null), null);

        Assert.Equal(["sessionId"], errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("non-ascii-é")]
    public void Validate_BadIdempotencyKey_NamesTheHeader(string key)
    {
        var errors = SubmitWorkflowValidator.Validate(new SubmitWorkflowRequest("t", null, null, null, null), key);

        Assert.Equal(["Idempotency-Key"], errors.Keys);
    }

    [Fact]
    public void Validate_AgentWithSlash_IsRejectedButModelWithSlashIsNot()
    {
        var errors = SubmitWorkflowValidator.Validate(new SubmitWorkflowRequest("t", null, "a/b", "provider/model", null), null);

        Assert.Equal(["agent"], errors.Keys);
    }
}
