using System.Diagnostics;
using Observability.TestInfrastructure.Processes;

namespace Observability.LoadTest;

/// <summary>A process the sampler watches; <see cref="WithChildren"/> for a server that forks (PostgreSQL).</summary>
/// <param name="Name">How the report names it.</param>
/// <param name="ProcessId">Its pid (the postmaster for PostgreSQL).</param>
/// <param name="WithChildren">Count its children's CPU and memory too.</param>
/// <param name="HoldsRetainedData">Its memory grows with the data the platform keeps by design (Redis's 24 h event streams, PostgreSQL's rows), so flat memory is not expected of it.</param>
internal sealed record WatchedProcess(string Name, int ProcessId, bool WithChildren, bool HoldsRetainedData);

/// <summary>One reading of every watched process at a <see cref="Stopwatch"/> timestamp: cumulative CPU seconds and resident bytes, in watch order.</summary>
internal sealed record ResourceSample(long Timestamp, double[] CpuSeconds, long[] MemoryBytes, double MachineBusySeconds, double MachineTotalSeconds, string LoadAverage);

/// <summary>Reads each watched process's CPU time and memory every interval from /proc until stopped.</summary>
internal sealed class ResourceSampler(IReadOnlyList<WatchedProcess> processes, TimeSpan interval)
{
    private readonly List<ResourceSample> _samples = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<WatchedProcess> Processes => processes;

    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Takes one sample now (also used for the first and last readings).</summary>
    public ResourceSample Take()
    {
        var machine = ProcFs.MachineCpuSeconds();
        var sample = new ResourceSample(
            Stopwatch.GetTimestamp(),
            [.. processes.Select(CpuSeconds)],
            [.. processes.Select(MemoryBytes)],
            machine.Busy,
            machine.Total,
            ProcFs.LoadAverage());
        lock (_lock)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    /// <summary>Samples every interval until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Take();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>User + system CPU seconds; with children also those of its live children and of the children it reaped (PostgreSQL's backends).</summary>
    private static double CpuSeconds(WatchedProcess process) => process.WithChildren
        ? ProcFs.TreeCpuSeconds(process.ProcessId) + ProcFs.ReapedChildrenCpuSeconds(process.ProcessId)
        : ProcFs.CpuSeconds(process.ProcessId);

    /// <summary>
    /// Resident bytes: <c>VmRSS</c> of one process; with children the proportional set size of the process and its
    /// children, so that PostgreSQL's shared buffers count once.
    /// </summary>
    private static long MemoryBytes(WatchedProcess process) => process.WithChildren
        ? ProcFs.TreePssBytes(process.ProcessId)
        : ProcFs.Memory(process.ProcessId).Rss;
}
