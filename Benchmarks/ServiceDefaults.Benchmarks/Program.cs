using BenchmarkDotNet.Running;
using Observability.ServiceDefaults.Benchmarks;

// serve on|off : a trivial endpoint with every ServiceDefaults feature on, or none (load-tested by load.sh)
// sink         : an OTLP/HTTP endpoint that accepts and discards, so "on" pays for real export
// anything else: BenchmarkDotNet (e.g. --filter '*SpanPipeline*')
return args switch
{
    ["serve", var mode] => await TrivialServer.RunAsync(mode == "on"),
    ["sink"] => await OtlpSink.RunAsync(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(TrivialServer).Assembly).Run(args);
    return 0;
}
