using System.Net;
using System.Text;
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
        Assert.Equal(2, host.Measurements.Count("retry"));
        var retries = host.Logs.Records.Where(record => record.EventId.Id == 8001).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, record => Assert.Contains("retrying GET to 127.0.0.1", record.Message, StringComparison.Ordinal));
        Assert.All(retries, record => Assert.Contains("after 503", record.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_TooManyRequestsWithRetryAfter_WaitsAtLeastTheHeaderValue()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync((context, attempt) =>
        {
            if (attempt == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return LoopbackHttpServer.RespondAsync(context, StatusCodes.Status429TooManyRequests);
            }

            return LoopbackHttpServer.RespondAsync(context, StatusCodes.Status200OK);
        }, ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var response = await host.CreateClient().GetAsync(server.Address, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
        // The back-off alone would be 10 ms: a delay of a second or more can only come from Retry-After.
        var delay = Assert.Single(host.Measurements.RetryDelays);
        Assert.True(delay >= TimeSpan.FromSeconds(1), $"retry waited {delay}");
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
        Assert.Equal(0, host.Measurements.Count("retry"));
    }

    [Fact]
    public async Task Post_WithIdempotencyKey_IsRetriedWithTheSameBody()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, attempt) => LoopbackHttpServer.RespondAsync(context, attempt == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status201Created), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, server.Address) { Content = new OneShotContent("order-42") };
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
            [new("HttpClient:Resilience:AttemptTimeout", "00:00:00.500")], ct);

        using var response = await host.CreateClient().GetAsync(server.Address, ct);

        // Only the first attempt hangs; on a loaded machine a later one may also run out of time, so the counts
        // are bounds: at least one attempt was abandoned and a later one answered.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(server.RequestCount, 2, 4);
        Assert.InRange(host.Measurements.Count("attempt_timeout"), 1, 3);
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
        Assert.Equal(0, host.Measurements.Count("retry"));
    }

    /// <summary>Content that can be written once only: a second send works only if the handler buffered it.</summary>
    private sealed class OneShotContent(string text) : HttpContent
    {
        private int _written;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            if (Interlocked.Exchange(ref _written, 1) == 1)
            {
                throw new InvalidOperationException("The content was already written once.");
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
