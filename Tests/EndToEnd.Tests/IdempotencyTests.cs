using System.Net;
using System.Text.Json;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>An <c>Idempotency-Key</c> makes a retried submit return the same run, and refuses reuse for another request.</summary>
[Trait("Category", "Integration")]
public sealed class IdempotencyTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Submit_SameKeyAndBody_ReturnsSameRunWith200()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        var key = $"e2e-{Guid.NewGuid():N}";
        var body = new { task = "draft the quarterly summary", sessionId = "idem-session" };

        using var first = await platform.Api.PostAsync(body, key, null, timeout.Token);
        var created = await WorkflowsClient.ReadAcceptedAsync(first, timeout.Token);
        using var second = await platform.Api.PostAsync(body, key, null, timeout.Token);

        var text = await second.Content.ReadAsStringAsync(timeout.Token);
        Assert.True(second.StatusCode == HttpStatusCode.OK, $"Repeat answered {(int)second.StatusCode}: {text}");
        var replayed = JsonSerializer.Deserialize<SubmittedRun>(text, WorkflowsClient.Json)!;
        Assert.Equal(created.RunId, replayed.RunId);

        // The repeat queued nothing new: the one run completes once.
        var run = await platform.WaitForFinalAsync(created.RunId, TimeSpan.FromSeconds(60), timeout.Token);
        Assert.Equal("Completed", run.Status);
        Assert.Equal(1, run.AttemptCount);
    }

    [Fact]
    public async Task Submit_SameKeyOtherBody_Returns422Problem()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        var key = $"e2e-{Guid.NewGuid():N}";

        using var first = await platform.Api.PostAsync(new { task = "draft the quarterly summary" }, key, null, timeout.Token);
        await WorkflowsClient.ReadAcceptedAsync(first, timeout.Token);
        using var second = await platform.Api.PostAsync(new { task = "draft the annual summary" }, key, null, timeout.Token);

        var text = await second.Content.ReadAsStringAsync(timeout.Token);
        Assert.True(second.StatusCode == HttpStatusCode.UnprocessableEntity, $"Reuse answered {(int)second.StatusCode}: {text}");
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(422, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        Assert.False(problem.RootElement.TryGetProperty("runId", out _), "A refused request must not reveal the other request's run.");
    }
}
