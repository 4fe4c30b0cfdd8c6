using System.Text.Json.Nodes;

namespace Observability.Worker.Tests.Hosting;

/// <summary>The runtime settings the Worker ships with: its runtimeconfig.json, copied beside this test's assembly.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void WorkerRuntimeConfig_ThreadPool_DoesNotSpinForWork()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Observability.Worker.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"];

        // 0: an idle thread-pool thread blocks at once instead of spinning for work (docs/benchmarks.md, issue #15).
        Assert.Equal(0, properties?["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>());
    }
}
