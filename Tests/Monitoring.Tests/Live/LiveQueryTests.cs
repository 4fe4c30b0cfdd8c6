using Observability.Monitoring.Tests.Configuration;
using Observability.TestInfrastructure.Postgres;

namespace Observability.Monitoring.Tests.Live;

/// <summary>
/// Every expression of every dashboard panel and every rule, evaluated by a real Prometheus scraping the running
/// application under sample traffic: each must parse and name only metrics present in the scrape.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LiveQueryTests(PostgresServerFixture postgres)
{
    /// <summary>Panels with no series while nothing goes wrong, and why. Any other empty panel fails the test.</summary>
    private static readonly Dictionary<(string Dashboard, string Panel), string> EmptyUntilSomethingFails = new()
    {
        [("system-overview", "Firing alerts by severity")] = "ALERTS has no series while no alert fires.",
        [("llm-providers", "Errors by type (429 = rate limited)")] = "gen_ai_client_operation_duration_seconds_count has no series with an error_type until an LLM call fails.",
    };

    /// <summary>Recording rules that select errors only: no series until a 5xx, a failed LLM call or a failed run.</summary>
    private static readonly Dictionary<string, string> RecordsEmptyUntilSomethingFails = new(StringComparer.Ordinal)
    {
        ["job:http_server_requests_5xx:rate5m"] = "no request answered 5xx",
        ["job:http_server_requests_5xx:ratio_rate5m"] = "no request answered 5xx",
        ["provider_model:gen_ai_client_operation_errors:rate5m"] = "no LLM call failed",
        ["provider_model:gen_ai_client_operation_errors:ratio_rate5m"] = "no LLM call failed",
        [":workflow_runs_failed:ratio_rate15m"] = "no run failed",
    };

    [Fact]
    public async Task EveryPanelAndRule_LiveScrapeUnderTraffic_ParsesAndNamesOnlyScrapedMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await MonitoringStack.StartAsync(postgres.Server, [new Dictionary<string, string>(), new Dictionary<string, string>()], withAlertmanager: false, ct);
        await SampleTraffic.RunAsync(stack, runs: 6, ct);

        var panels = MonitoringFiles.PanelQueries();
        var rules = MonitoringFiles.Rules();
        Assert.All(EmptyUntilSomethingFails.Keys, key => Assert.Contains(panels, p => (p.Dashboard, p.Panel) == key));
        var records = rules.Where(r => r.Record is not null).Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);

        // Prometheus scrapes every 5 s and needs two samples for a rate: poll until every panel expected to show data does.
        var empty = await Poll.UntilAsync(
            async token =>
            {
                var missing = new List<string>();
                foreach (var panel in panels.Where(p => !EmptyUntilSomethingFails.ContainsKey((p.Dashboard, p.Panel))))
                {
                    if ((await stack.Api.QueryAsync(PromQl.ForPrometheus(panel.Expr), token)).Series == 0)
                    {
                        missing.Add(panel.ToString());
                    }
                }

                return missing;
            },
            missing => missing.Count == 0,
            TimeSpan.FromSeconds(120),
            missing => $"panels still empty: {string.Join("; ", missing)}{Environment.NewLine}{string.Join(Environment.NewLine, stack.Api.TargetsAsync(ct).GetAwaiter().GetResult())}",
            ct);
        Assert.Empty(empty);

        var scraped = await stack.Api.ScrapedNamesAsync(ct);
        var failures = new List<string>();
        var report = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (source, expr) in panels.Select(p => (p.ToString(), p.Expr)).Concat(rules.Select(r => ($"rule {r.Name}", r.Expr))))
        {
            var result = await stack.Api.QueryAsync(PromQl.ForPrometheus(expr), ct);
            if (!result.Parsed)
            {
                failures.Add($"{source}: {result.Error}");
            }

            foreach (var name in PromQl.MetricNames(expr))
            {
                var known = scraped.Contains(name) || records.Contains(name) || name == "ALERTS";
                if (!known)
                {
                    failures.Add($"{source}: {name} is not in the scrape");
                }

                if (!records.Contains(name))
                {
                    (report.TryGetValue(name, out var users) ? users : report[name] = new SortedSet<string>(StringComparer.Ordinal)).Add(source.Split(' ')[0] == "rule" ? "rules" : source.Split(" / ")[0]);
                }
            }

            if (result.Parsed && result.Series == 0 && source.StartsWith("rule ", StringComparison.Ordinal) && records.Contains(source[5..]) && !RecordsEmptyUntilSomethingFails.ContainsKey(source[5..]))
            {
                failures.Add($"{source}: recorded no series");
            }
        }

        foreach (var (name, users) in report)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{name} [{(scraped.Contains(name) ? "scraped" : "builtin")}] used by {string.Join(", ", users)}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
