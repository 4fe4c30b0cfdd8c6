using Observability.TestInfrastructure.Processes;

namespace Observability.Infrastructure.Tests;

public sealed class ServerProcessTests
{
    [Fact]
    public async Task WaitUntilAnswers_CallerCancelsBeforeAnswer_SaysWhatItWaitedForWithTheOutput()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var process = ServerProcess.Start(
            "sh",
            ["-c", "echo still starting; exec sleep 300"],
            Path.GetTempPath(),
            onOutputLine: line => started.TrySetResult());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        var url = new Uri(ServiceProcess.NewAddress(), "/alive");
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await caller.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => process.WaitUntilAnswersAsync(url, TimeSpan.FromSeconds(90), "sleeper", caller.Token));

        Assert.Equal(caller.Token, e.CancellationToken);
        Assert.Contains($"sleeper at {url} (pid {process.Id}, ", e.Message, StringComparison.Ordinal);
        Assert.Contains("of its 90 s to get ready", e.Message, StringComparison.Ordinal);
        Assert.Contains("still starting", e.Message, StringComparison.Ordinal);
    }
}
