using Microsoft.Extensions.Options;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

public sealed class SimulatedLlmProviderTests
{
    private const string Model = "gpt-4o-mini";

    [Fact]
    public async Task CompleteAsync_SameSeedAndRequest_SameReplyTokensAndLatency()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = Request("Summarise the order history of customer 42.");

        var (first, firstLatency) = await CompleteTimedAsync(NewOptions(seed: 7), request, ct);
        var (second, secondLatency) = await CompleteTimedAsync(NewOptions(seed: 7), request, ct);

        Assert.Equal(first, second);
        Assert.Equal(firstLatency, secondLatency);
        Assert.True(firstLatency > TimeSpan.Zero);
        Assert.NotEmpty(first.Text);
        Assert.Equal(SimulatedLlmProvider.ProviderName, first.Provider);
        Assert.Equal(Model, first.ResponseModel);
    }

    [Fact]
    public async Task CompleteAsync_OtherSeedOrPrompt_OtherReply()
    {
        var ct = TestContext.Current.CancellationToken;
        var noDelay = NewOptions(seed: 7, median: TimeSpan.Zero);
        var baseline = await Provider(noDelay).CompleteAsync(Request("plan the trip"), Model, ct);

        var otherSeed = await Provider(NewOptions(seed: 8, median: TimeSpan.Zero)).CompleteAsync(Request("plan the trip"), Model, ct);
        var otherPrompt = await Provider(noDelay).CompleteAsync(Request("plan the trip!"), Model, ct);

        Assert.NotEqual(baseline.Text, otherSeed.Text);
        Assert.NotEqual(baseline.Text, otherPrompt.Text);
    }

    [Fact]
    public async Task CompleteAsync_PromptLength_DrivesInputTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        var provider = Provider(NewOptions(median: TimeSpan.Zero));

        var shortReply = await provider.CompleteAsync(Request(new string('a', 40)), Model, ct);
        var longReply = await provider.CompleteAsync(Request(new string('a', 4000)), Model, ct);

        // 3 for the conversation, 4 for the message, a token per four characters.
        Assert.Equal(3 + 4 + 10, shortReply.InputTokens);
        Assert.Equal(3 + 4 + 1000, longReply.InputTokens);
    }

    [Fact]
    public async Task CompleteAsync_ManyRequests_OutputTokensWithinConfiguredRangeAndMatchText()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.Simulated.MinOutputTokens = 5;
        options.Simulated.MaxOutputTokens = 12;
        var provider = Provider(options);

        var seen = new HashSet<int>();
        for (var i = 0; i < 300; i++)
        {
            var reply = await provider.CompleteAsync(Request($"question {i}"), Model, ct);
            Assert.InRange(reply.OutputTokens, 5, 12);
            Assert.Equal(reply.OutputTokens, reply.Text.Split(' ').Length);
            Assert.Equal("stop", reply.FinishReason);
            seen.Add(reply.OutputTokens);
        }

        Assert.Equal(8, seen.Count);
    }

    [Fact]
    public async Task CompleteAsync_MaxTokensBelowDraw_CutsReplyWithFinishReasonLength()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.Simulated.MinOutputTokens = 50;
        options.Simulated.MaxOutputTokens = 60;

        var reply = await Provider(options).CompleteAsync(Request("write an essay") with { MaxTokens = 10 }, Model, ct);

        Assert.Equal(10, reply.OutputTokens);
        Assert.Equal("length", reply.FinishReason);
    }

    [Fact]
    public async Task CompleteAsync_ConstantLatency_WaitsExactlyTheMedianOnTheTimeProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var provider = new SimulatedLlmProvider(
            Options.Create(NewOptions(median: TimeSpan.FromSeconds(2), p95: TimeSpan.FromSeconds(2))), time);

        var timer = time.NextTimerAsync();
        var call = provider.CompleteAsync(Request("hello"), Model, ct);
        var due = await timer.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(TimeSpan.FromSeconds(2), due);

        time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        var reply = await call.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.NotEmpty(reply.Text);
    }

    [Fact]
    public async Task CompleteAsync_ManyRequests_LatencyFollowsConfiguredMedianAndP95()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var provider = new SimulatedLlmProvider(Options.Create(
            NewOptions(median: TimeSpan.FromMilliseconds(500), p95: TimeSpan.FromMilliseconds(2000))), time);

        var latencies = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var (_, latency) = await CompleteTimedAsync(provider, time, Request($"step {i}"), ct);
            latencies.Add(latency.TotalMilliseconds);
        }

        latencies.Sort();
        // Fixed seed: the draws are the same every run; the bounds only say the distribution has the configured shape.
        Assert.InRange(latencies[1000], 450, 550);
        Assert.InRange(latencies[1900], 1700, 2300);
    }

    [Fact]
    public async Task CompleteAsync_FailureAndRateLimitRates_FailThatShareOfDistinctRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = NewOptions(median: TimeSpan.Zero);
        options.Simulated.FailureRate = 0.10;
        options.Simulated.RateLimitRate = 0.05;
        options.Simulated.RetryAfter = TimeSpan.FromSeconds(3);
        var provider = Provider(options);

        int failures = 0, rateLimited = 0;
        for (var i = 0; i < 10_000; i++)
        {
            try
            {
                await provider.CompleteAsync(Request($"request {i}"), Model, ct);
            }
            catch (LlmServerException exception)
            {
                Assert.Equal(503, exception.StatusCode);
                failures++;
            }
            catch (LlmRateLimitedException exception)
            {
                Assert.Equal(TimeSpan.FromSeconds(3), exception.RetryAfter);
                Assert.Equal("429", exception.ErrorType);
                rateLimited++;
            }
        }

        // Binomial(10000, p): these bounds are more than 6 standard deviations wide.
        Assert.InRange(failures, 820, 1180);
        Assert.InRange(rateLimited, 370, 630);
    }

    [Fact]
    public async Task CompleteAsync_RetriedAfterFailure_EventuallySucceedsWithTheSameReplyAsWithoutFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        var flaky = NewOptions(median: TimeSpan.Zero);
        flaky.Simulated.FailureRate = 0.5;
        flaky.Simulated.RateLimitRate = 0.3;
        var provider = Provider(flaky);
        var reliable = Provider(NewOptions(median: TimeSpan.Zero));

        var failedAtLeastOnce = 0;
        for (var i = 0; i < 50; i++)
        {
            var request = Request($"task {i}");
            LlmResponse? reply = null;
            for (var attempt = 0; attempt < 100 && reply is null; attempt++)
            {
                try
                {
                    reply = await provider.CompleteAsync(request, Model, ct);
                }
                catch (LlmException)
                {
                    failedAtLeastOnce += attempt == 0 ? 1 : 0;
                }
            }

            Assert.NotNull(reply);
            Assert.Equal(await reliable.CompleteAsync(request, Model, ct), reply);
        }

        Assert.True(failedAtLeastOnce > 0);
    }

    [Fact]
    public async Task CompleteAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedLlmProvider(Options.Create(NewOptions()), time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var timer = time.NextTimerAsync();
        var call = provider.CompleteAsync(Request("hello"), Model, cancel.Token);
        await timer.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    internal static LlmRequest Request(string prompt) => new() { Messages = [LlmMessage.User(prompt)] };

    internal static LlmOptions NewOptions(int seed = 42, TimeSpan? median = null, TimeSpan? p95 = null)
    {
        var options = new LlmOptions();
        options.Simulated.Seed = seed;
        options.Simulated.MedianLatency = median ?? TimeSpan.FromMilliseconds(800);
        options.Simulated.P95Latency = p95 ?? (median is { } m && m > TimeSpan.Zero ? m * 3 : TimeSpan.FromMilliseconds(2500));
        return options;
    }

    private static SimulatedLlmProvider Provider(LlmOptions options) =>
        new(Options.Create(options), new ManualTimeProvider());

    private static Task<(LlmResponse Reply, TimeSpan Latency)> CompleteTimedAsync(LlmOptions options, LlmRequest request,
        CancellationToken cancellationToken)
    {
        var time = new ManualTimeProvider();
        return CompleteTimedAsync(new SimulatedLlmProvider(Options.Create(options), time), time, request,
            cancellationToken);
    }

    /// <summary>Runs one call, moving the clock by exactly the latency the provider waits for.</summary>
    private static async Task<(LlmResponse Reply, TimeSpan Latency)> CompleteTimedAsync(SimulatedLlmProvider provider,
        ManualTimeProvider time, LlmRequest request, CancellationToken cancellationToken)
    {
        var timer = time.NextTimerAsync();
        var call = provider.CompleteAsync(request, Model, cancellationToken);
        var latency = await timer.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        time.Advance(latency);
        return (await call.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken), latency);
    }
}
