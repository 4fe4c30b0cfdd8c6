using System.Globalization;

namespace Observability.LoadTest;

/// <summary>Command-line settings of the sustained load test (see README.md).</summary>
/// <param name="Rate">Runs submitted per second, all clients together (open model: arrivals never wait for completions).</param>
/// <param name="Duration">How long runs are submitted.</param>
/// <param name="Warmup">The first part of <paramref name="Duration"/> left out of latency, throughput and memory figures.</param>
/// <param name="Drain">How long to wait after the last arrival for every accepted run's Completed event.</param>
/// <param name="Clients">Clients; each has its own HTTP connection pool, API key (rate-limit partition), session and WebSocket.</param>
/// <param name="SampleInterval">How often each process's CPU and memory are read from /proc.</param>
/// <param name="WorkerConcurrency">Jobs each of the two workers executes at once (<c>Workflows:Worker:Concurrency</c>).</param>
/// <param name="Workers">Worker processes.</param>
/// <param name="PgStatements">
/// When above 0, PostgreSQL runs with <c>pg_stat_statements</c> and the report lists the statements (of every process)
/// that took the most execution time in the measured window, this many, per completed run.
/// </param>
/// <param name="HeapInterval">
/// How often, in the measured window, each service's live managed heap is read after a full collection (also at the
/// window's start and end); zero for the start and end only.
/// </param>
/// <param name="Ramp">
/// How long the arrival rate takes to rise linearly from 0 to <paramref name="Rate"/> at the start (within the
/// warm-up, so none of its runs is in the figures); zero starts at the full rate.
/// </param>
internal sealed record LoadTestOptions(
    double Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan Drain,
    int Clients,
    TimeSpan SampleInterval,
    int WorkerConcurrency,
    int Workers,
    int PgStatements = 0,
    TimeSpan HeapInterval = default,
    TimeSpan Ramp = default)
{
    public const string Usage =
        "usage: Observability.LoadTest --rate RUNS_PER_SECOND [--duration 600] [--warmup 60] [--drain 120] [--clients 100] [--sample 10] [--worker-concurrency 64] [--workers 2] [--pg-statements 0] [--heap-every 60] [--ramp 0] (seconds)";

    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions(0, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), 100, TimeSpan.FromSeconds(10), 64, 2, HeapInterval: TimeSpan.FromSeconds(60));
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--rate" => options with { Rate = PositiveNumber(args[i], value) },
                "--duration" => options with { Duration = Seconds(args[i], value) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(WholeNumber(args[i], value, allowZero: true)) },
                "--drain" => options with { Drain = Seconds(args[i], value) },
                "--clients" => options with { Clients = WholeNumber(args[i], value) },
                "--sample" => options with { SampleInterval = Seconds(args[i], value) },
                "--worker-concurrency" => options with { WorkerConcurrency = WholeNumber(args[i], value) },
                "--workers" => options with { Workers = WholeNumber(args[i], value) },
                "--heap-every" => options with { HeapInterval = TimeSpan.FromSeconds(WholeNumber(args[i], value, allowZero: true)) },
                "--pg-statements" => options with { PgStatements = WholeNumber(args[i], value, allowZero: true) },
                "--ramp" => options with { Ramp = TimeSpan.FromSeconds(WholeNumber(args[i], value, allowZero: true)) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. {Usage}"),
            };
        }

        if (options.Rate <= 0)
        {
            throw new ArgumentException($"--rate is required: runs per second, e.g. 70% of the measured capacity. {Usage}");
        }

        if (options.Ramp > options.Warmup)
        {
            throw new ArgumentException($"--ramp ({options.Ramp.TotalSeconds} s) must not be longer than --warmup ({options.Warmup.TotalSeconds} s): its runs are left out of the figures. {Usage}");
        }

        return options.Warmup >= options.Duration
            ? throw new ArgumentException($"--warmup ({options.Warmup.TotalSeconds} s) must be shorter than --duration ({options.Duration.TotalSeconds} s). {Usage}")
            : options;
    }

    private static double PositiveNumber(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive number (was '{value}'). {Usage}");

    private static TimeSpan Seconds(string name, string value) => TimeSpan.FromSeconds(WholeNumber(name, value));

    private static int WholeNumber(string name, string value, bool allowZero = false)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && (number > 0 || (allowZero && number == 0))
            ? number
            : throw new ArgumentException($"{name} must be a {(allowZero ? "non-negative" : "positive")} whole number (was '{value}'). {Usage}");
}
