using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

public sealed class SimulatedChatClientTests
{
    private const string Model = "gpt-4o-mini";

    [Fact]
    public async Task GetResponseAsync_SameSeedAndRequest_SameReplyTokensAndLatency()
    {
        var ct = TestContext.Current.CancellationToken;
        var messages = Request("Summarise the order history of customer 42.");
        var first = Client(NewOptions(seed: 7), out var firstTime);
        var second = Client(NewOptions(seed: 7), out var secondTime);

        var (firstReply, firstLatency) = await CompleteTimedAsync(first, firstTime, messages, ct);
        var (secondReply, secondLatency) = await CompleteTimedAsync(second, secondTime, messages, ct);

        Assert.Equal(firstReply.Text, secondReply.Text);
        Assert.Equal(firstReply.ResponseId, secondReply.ResponseId);
        Assert.Equal(firstReply.OutputTokens, secondReply.OutputTokens);
        Assert.Equal(firstLatency, secondLatency);
        Assert.True(firstLatency > TimeSpan.Zero);
        Assert.NotEmpty(firstReply.Text);
        Assert.Equal(Model, firstReply.ModelId);
        Assert.Equal(SimulatedChatClient.ProviderName, first.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task GetResponseAsync_OtherSeedOrPrompt_OtherReply()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client(NewOptions(seed: 7, median: TimeSpan.Zero), out _);
        var baseline = await client.GetResponseAsync(Request("plan the trip"), cancellationToken: ct);

        var otherSeed = await Client(NewOptions(seed: 8, median: TimeSpan.Zero), out _).GetResponseAsync(Request("plan the trip"), cancellationToken: ct);
        var otherPrompt = await client.GetResponseAsync(Request("plan the trip!"), cancellationToken: ct);

        Assert.NotEqual(baseline.Text, otherSeed.Text);
        Assert.NotEqual(baseline.Text, otherPrompt.Text);
    }

    [Fact]
    public async Task GetResponseAsync_PromptLength_DrivesInputTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client(NewOptions(median: TimeSpan.Zero), out _);

        var shortReply = await client.GetResponseAsync(Request(new string('a', 40)), cancellationToken: ct);
        var longReply = await client.GetResponseAsync(Request(new string('a', 4000)), cancellationToken: ct);

        // 3 for the conversation, 4 for the message, a token per four characters.
        Assert.Equal(3 + 4 + 10, shortReply.InputTokens);
        Assert.Equal(3 + 4 + 1000, longReply.InputTokens);
        Assert.Equal(shortReply.InputTokens + shortReply.OutputTokens, shortReply.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ManyRequests_OutputTokensWithinConfiguredRangeAndMatchText()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.MinOutputTokens = 5;
        options.MaxOutputTokens = 12;
        var client = Client(options, out _);

        var seen = new HashSet<int>();
        for (var i = 0; i < 300; i++)
        {
            var reply = await client.GetResponseAsync(Request($"question {i}"), cancellationToken: ct);
            Assert.InRange(reply.OutputTokens, 5, 12);
            Assert.Equal(reply.OutputTokens, reply.Text.Split(' ').Length);
            Assert.EndsWith(".", reply.Text, StringComparison.Ordinal);
            Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
            seen.Add(reply.OutputTokens);
        }

        Assert.Equal(8, seen.Count);
    }

    [Fact]
    public async Task GetResponseAsync_MaxTokensBelowDraw_CutsReplyWithFinishReasonLength()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.MinOutputTokens = 50;
        options.MaxOutputTokens = 60;

        var reply = await Client(options, out _).GetResponseAsync(Request("write an essay"), new ChatOptions { MaxOutputTokens = 10 }, ct);

        Assert.Equal(10, reply.OutputTokens);
        Assert.Equal(ChatFinishReason.Length, reply.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_JsonRequest_AnswersWithAPlanOfTheTask()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client(NewOptions(median: TimeSpan.Zero), out _);

        var reply = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Plan."), new ChatMessage(ChatRole.User, "Find the sources. Write the report")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json, ModelId = "gpt-4o" }, ct);

        Assert.Equal(SimulatedPlan.Write("Find the sources. Write the report"), reply.Text);
        Assert.Equal("gpt-4o", reply.ModelId);
        Assert.Equal((reply.Text.Length + 3) / 4, reply.OutputTokens);
    }

    [Fact]
    public async Task GetResponseAsync_ConstantLatency_WaitsExactlyTheMedianOnTheTimeProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client(NewOptions(median: TimeSpan.FromSeconds(2), p95: TimeSpan.FromSeconds(2)), out var time);

        var call = client.GetResponseAsync(Request("hello"), cancellationToken: ct);
        time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        var reply = await call.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.NotEmpty(reply.Text);
    }

    [Fact]
    public void LatencyOf_ManyRequests_FollowsConfiguredMedianAndP95()
    {
        var client = Client(NewOptions(median: TimeSpan.FromMilliseconds(500), p95: TimeSpan.FromMilliseconds(2000)), out _);

        var latencies = Enumerable.Range(0, 2000).Select(i => client.LatencyOf(Request($"step {i}")).TotalMilliseconds).Order().ToList();

        // Fixed seed: the draws are the same every run; the bounds only say the distribution has the configured shape.
        Assert.InRange(latencies[1000], 450, 550);
        Assert.InRange(latencies[1900], 1700, 2300);
    }

    [Fact]
    public async Task GetResponseAsync_FailureAndRateLimitRates_FailThatShareOfDistinctRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.FailureRate = 0.10;
        options.RateLimitRate = 0.05;
        options.RetryAfter = TimeSpan.FromSeconds(3);
        var client = Client(options, out var time);

        int failures = 0, rateLimited = 0;
        for (var i = 0; i < 10_000; i++)
        {
            try
            {
                await client.GetResponseAsync(Request($"request {i}"), cancellationToken: ct);
            }
            catch (SimulatedFailureException exception) when (exception.StatusCode == 503)
            {
                Assert.Null(exception.RetryAfter);
                Assert.True(LlmFailure.IsTransient(exception));
                failures++;
            }
            catch (SimulatedFailureException exception)
            {
                Assert.Equal(TimeSpan.FromSeconds(3), LlmFailure.RetryAfter(exception, time));
                Assert.Equal("429", LlmFailure.ErrorType(exception));
                rateLimited++;
            }
        }

        // Binomial(10000, p): these bounds are more than 6 standard deviations wide.
        Assert.InRange(failures, 820, 1180);
        Assert.InRange(rateLimited, 370, 630);
    }

    [Fact]
    public async Task GetResponseAsync_RetriedAfterFailure_EventuallySucceedsWithTheSameReplyAsWithoutFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        var flaky = NewOptions(median: TimeSpan.Zero);
        flaky.FailureRate = 0.5;
        flaky.RateLimitRate = 0.3;
        var client = Client(flaky, out _);
        var reliable = Client(NewOptions(median: TimeSpan.Zero), out _);

        var failedAtLeastOnce = 0;
        for (var i = 0; i < 50; i++)
        {
            var request = Request($"task {i}");
            ChatResponse? reply = null;
            for (var attempt = 0; attempt < 100 && reply is null; attempt++)
            {
                try
                {
                    reply = await client.GetResponseAsync(request, cancellationToken: ct);
                }
                catch (SimulatedFailureException)
                {
                    failedAtLeastOnce += attempt == 0 ? 1 : 0;
                }
            }

            Assert.NotNull(reply);
            var expected = await reliable.GetResponseAsync(request, cancellationToken: ct);
            Assert.Equal((expected.Text, expected.OutputTokens, expected.ResponseId), (reply.Text, reply.OutputTokens, reply.ResponseId));
        }

        Assert.True(failedAtLeastOnce > 0);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        var client = Client(NewOptions(), out _);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = client.GetResponseAsync(Request("hello"), cancellationToken: cancel.Token);
        Assert.False(call.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    internal static ChatMessage[] Request(string prompt) => [new ChatMessage(ChatRole.User, prompt)];

    internal static SimulatedLlmOptions NewOptions(int seed = 42, TimeSpan? median = null, TimeSpan? p95 = null) => new()
    {
        Seed = seed,
        MedianLatency = median ?? TimeSpan.FromMilliseconds(800),
        P95Latency = p95 ?? (median is { } m && m > TimeSpan.Zero ? m * 3 : TimeSpan.FromMilliseconds(2500)),
    };

    private static SimulatedChatClient Client(SimulatedLlmOptions options, out FakeTimeProvider time)
    {
        time = new FakeTimeProvider();
        return new SimulatedChatClient(options, Model, time);
    }

    /// <summary>Runs one call, moving the clock by exactly the latency the client waits for.</summary>
    private static async Task<(ChatResponse Reply, TimeSpan Latency)> CompleteTimedAsync(SimulatedChatClient client,
        FakeTimeProvider time, ChatMessage[] messages, CancellationToken cancellationToken)
    {
        var latency = client.LatencyOf(messages);
        var call = client.GetResponseAsync(messages, cancellationToken: cancellationToken);
        time.Advance(latency);
        return (await call.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken), latency);
    }
}
