using System.Text.Json;
using System.Text.RegularExpressions;
using Observability.Gateway.Apis;

namespace Observability.Gateway.Tests;

public sealed class JsonBodyErrorsTests
{
    [Theory]
    [InlineData("$.task", "task")]
    [InlineData("$.task[0]", "task")]
    [InlineData("$.x.y", "x")]
    [InlineData("$['odd name'].y", "odd name")]
    [InlineData("$", null)]
    [InlineData("$[0]", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TopLevelProperty_JsonPath_IsTheFieldAtFault(string? path, string? field)
        => Assert.Equal(field, JsonBodyErrors.TopLevelProperty(path));

    [Theory]
    [InlineData("""{"task":5}""", "task")]
    [InlineData("""{"TASK":5}""", "task")]
    [InlineData("""{"task":"t","sessionId":{}}""", "sessionId")]
    [InlineData("""{"task":"\ud800"}""", "task")]
    [InlineData("""[]""", JsonBodyErrors.BodyKey)]
    [InlineData("""{"task":"t"} x""", JsonBodyErrors.BodyKey)]
    public void From_DeserializationFailure_KeysTheFieldAndNamesNoType(string json, string field)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, SubmitWorkflowRequest.JsonTypeInfo));

        var errors = JsonBodyErrors.From(exception, SubmitWorkflowRequest.JsonTypeInfo);

        var message = Assert.Single(Assert.Contains(field, errors));
        Assert.DoesNotContain("Observability", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    // The text is written escaped (Regex.Unescape reads it) so that no test runner re-encodes a lone surrogate.
    [Theory]
    [InlineData("Summarise the report", null)]
    [InlineData(@"lines\nand\ttabs\r\n", null)]
    [InlineData(@"emoji \ud83d\ude00 and \u4e2d", null)]
    [InlineData(@"a\u0000b", "U+0000 at position 1")]
    [InlineData(@"\u001b[31m", "U+001B at position 0")]
    [InlineData(@"\u0085", "U+0085 at position 0")]
    [InlineData(@"x\ud800", "U+D800) at position 1")]
    [InlineData(@"\udc00x", "U+DC00) at position 0")]
    [InlineData(@"\ud83d\ud83d", "U+D83D) at position 0")]
    public void FindProblem_Text_NamesTheFirstCharacterThatCannotBeStored(string escaped, string? problem)
    {
        var found = StorableText.FindProblem(Regex.Unescape(escaped));

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }
}
