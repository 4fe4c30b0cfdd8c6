namespace Observability.Hosting.Processes;

/// <summary>An instance without a process of its own (a database inside a server): it ends only when stopped.</summary>
internal sealed class ResidentInstance : IResourceInstance
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int? ProcessId => null;

    public Task<int> Exited => _exited.Task;

    public Task StopAsync(TimeSpan grace)
    {
        _exited.TrySetResult(0);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _exited.TrySetResult(0);
        return ValueTask.CompletedTask;
    }
}
