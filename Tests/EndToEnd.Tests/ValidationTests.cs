using System.Net;
using System.Text.Json;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>A submit the gateway cannot accept is refused with 400 problem details naming the field at fault.</summary>
[Trait("Category", "Integration")]
public sealed class ValidationTests(PlatformFixture fixture)
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"task":""}""", "task" },
        { """{"task":"   "}""", "task" },
        { """{"sessionId":"s1"}""", "task" },
        { $$"""{"task":"{{new string('x', (32 * 1024) + 1)}}"}""", "task" },
        { """{"task":"summarise the report","mode":"turbo"}""", "mode" },
        { """{"task":"summarise the report","sessionId":"not a valid id!"}""", "sessionId" },
        { """{"task":"summarise the report","model":""}""", "model" },
        { """{"task":"summarise the report","agent":"x/y"}""", "agent" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Submit_InvalidField_Returns400ProblemNamingTheField(string body, string field)
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        using var client = platform.CreateGatewayClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("/api/workflows", UriKind.Relative), content, timeout.Token);

        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}': {text}");
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrWhiteSpace(m.GetString()));
    }
}
