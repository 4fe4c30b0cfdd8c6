using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>The LLM client wired as in the Worker's Program.cs, observed through the service's own /metrics.</summary>
[Trait("Category", "Integration")]
public sealed class WorkerLlmEndToEndTests
{
    [Fact]
    public async Task AddLlmProviders_WithServiceDefaults_CallsShowOnPrometheusEndpoint()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var ct = deadline.Token;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Simulated:MedianLatency"] = "00:00:00",
            ["Llm:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Llm:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        });
        builder.AddServiceDefaults();
        builder.AddLlmProviders();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(ct);

        await app.Services.GetRequiredService<IChatClient>().GetResponseAsync("Plan the release.", cancellationToken: ct);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);

        var lines = metrics.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("gen_ai_client_token_usage", StringComparison.Ordinal)
            && line.Contains("gen_ai_token_type=\"output\"", StringComparison.Ordinal) && ByProviderAndModel(line));
        Assert.Contains(lines, line => line.StartsWith("gen_ai_client_operation_duration_seconds_count{", StringComparison.Ordinal) && ByProviderAndModel(line));
        Assert.Contains(lines, line => line.StartsWith("llm_client_cost_USD_total{", StringComparison.Ordinal) && ByProviderAndModel(line));
        await app.StopAsync(ct);
    }

    private static bool ByProviderAndModel(string line) =>
        line.Contains("gen_ai_provider_name=\"simulated\"", StringComparison.Ordinal)
        && line.Contains("gen_ai_request_model=\"gpt-4o-mini\"", StringComparison.Ordinal);
}
