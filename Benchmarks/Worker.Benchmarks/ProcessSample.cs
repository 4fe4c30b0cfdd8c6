using Observability.TestInfrastructure.Processes;

namespace Observability.Worker.Benchmarks;

/// <summary>CPU time of one process and of the whole machine, and the process's memory, at one moment.</summary>
internal sealed record ProcessSample(double ProcessCpuSeconds, double MachineBusySeconds, double MachineTotalSeconds, long RssBytes, long PeakRssBytes)
{
    public static ProcessSample Read(int processId)
    {
        var cpu = ProcFs.CpuSeconds(processId);
        var (rss, peak) = ProcFs.Memory(processId);
        var (busy, total) = ProcFs.MachineCpuSeconds();
        return new ProcessSample(cpu, busy, total, rss, peak);
    }
}
