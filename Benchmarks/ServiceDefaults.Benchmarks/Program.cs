using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Observability.ServiceDefaults.Benchmarks;

// serve on|off|LIST : a trivial endpoint with every ServiceDefaults feature on, none, or a list (load.sh)
// sink         : an OTLP/HTTP endpoint that accepts and discards, so "on" pays for real export
// anything else: BenchmarkDotNet (e.g. --filter '*SpanPipeline*')
return args switch
{
    ["serve", var mode] => await TrivialServer.RunAsync(mode),
    ["sink"] => await OtlpSink.RunAsync(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    // In-process: the project's file name differs from its assembly name, which BenchmarkDotNet's generated
    // out-of-process project cannot follow; microbenchmarks lose nothing by it.
    var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
    BenchmarkSwitcher.FromAssembly(typeof(TrivialServer).Assembly).Run(args, config);
    return 0;
}
