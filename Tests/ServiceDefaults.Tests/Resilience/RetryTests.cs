using System.Net;
using Microsoft.AspNetCore.Http;

namespace Observability.ServiceDefaults.Tests.Resilience;

[Trait("Category", "Integration")]
public sealed class RetryTests
{
    [Fact]
    public async Task Get_ServiceUnavailableTwiceThenOk_RetriesUntilSuccess()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, attempt) => LoopbackHttpServer.RespondAsync(context, attempt <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var response = await host.CreateClient().GetAsync(new Uri(server.Address, "/work"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Post_WithoutIdempotencyKey_IsNotRetried()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var content = new StringContent("order");
        using var response = await host.CreateClient().PostAsync(server.Address, content, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnsafeMethod_WithoutIdempotencyKey_IsNotRetried(string method)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var request = new HttpRequestMessage(new HttpMethod(method), server.Address) { Content = new StringContent("x") };
        using var response = await host.CreateClient().SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Post_WithIdempotencyKey_IsRetriedWithTheSameBodyAndKey()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, attempt) => LoopbackHttpServer.RespondAsync(context, attempt == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status201Created), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, server.Address) { Content = new StringContent("order-42") };
        request.Headers.Add("Idempotency-Key", "key-1");
        using var response = await host.CreateClient().SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Collection(server.Requests,
            first => Assert.Equal(("POST", "order-42", "key-1"), (first.Method, first.Body, first.IdempotencyKey)),
            second => Assert.Equal(("POST", "order-42", "key-1"), (second.Method, second.Body, second.IdempotencyKey)));
    }

    [Fact]
    public async Task Get_AttemptSlowerThanAttemptTimeout_IsAbandonedAndRetried()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, attempt) => attempt == 1 ? LoopbackHttpServer.HangAsync(context) : LoopbackHttpServer.RespondAsync(context, StatusCodes.Status200OK), ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("HttpClient:Resilience:AttemptTimeout:Timeout", "00:00:00.500")], ct);

        using var response = await host.CreateClient().GetAsync(server.Address, ct);

        // Only the first attempt hangs; on a loaded machine a later one may also run out of time, so the counts
        // are bounds: at least one attempt was abandoned and a later one answered.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(server.RequestCount, 2, 4);
    }

    [Fact]
    public async Task Get_CancelledByCaller_IsNotRetried()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackHttpServer.StartAsync((context, _) =>
        {
            arrived.TrySetResult();
            return LoopbackHttpServer.HangAsync(context);
        }, ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var send = host.CreateClient().GetAsync(server.Address, caller.Token);
        await arrived.Task.WaitAsync(ct);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal(1, server.RequestCount);
    }
}
