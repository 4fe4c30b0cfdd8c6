using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Observability.TestInfrastructure.Processes;

namespace Observability.AppHost.Tests.Browser;

/// <summary>
/// The user's journey on the real Aspire dashboard, in Debian's Chromium: the AppHost started as a user starts it
/// (the testing builder runs without a dashboard), log in with the printed link, follow a run's trace link to its
/// trace with spans of gateway, worker and websockethub, open an LLM call in the GenAI view (model, tokens, masked
/// prompt), open the worker's structured logs of that trace, restart a
/// resource from the resources page. Screenshots are kept under the test output's <c>screenshots/</c> folder.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Dashboard_UserJourney_LoginTraceLogsAndRestart()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: eng/prerequisites.sh installs the chromium package.");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await using var host = AppHostProcess.Start();
        var processes = await host.WaitForAllRunningAsync(cts.Token);
        var login = await host.LoginUrlAsync(cts.Token);

        // The gateway's own address and the dashboard address the AppHost gave it, from its environment.
        var gatewayPid = processes.Single(p => p.CommandLine.EndsWith("Observability.Gateway.dll", StringComparison.Ordinal)).Pid;
        var environment = ProcFs.Environment(gatewayPid);
        Assert.Equal(host.Dashboard.ToString().TrimEnd('/'), environment["Gateway__DashboardUrl"]);
        using var gateway = new HttpClient { BaseAddress = new Uri(environment["ASPNETCORE_URLS"].Split(';')[0]) };
        await WaitHealthyAsync(gateway, cts.Token);

        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Explain how a trace crosses a queue; send questions to alice@example.com", "browser-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        // The events reach the hub's WebSocket too, so the hub's delivery span joins the run's trace.
        await using (var socket = await HubSocket.ConnectAsync(new Uri(submitted.GetProperty("eventsUrl").GetString()!.Replace("ws://", "http://", StringComparison.Ordinal)), cts.Token))
        {
            await socket.ReadRunAsync(runId, submitted.GetProperty("eventsTicket").GetString(), cts.Token);
        }

        var link = await gateway.GetFromJsonAsync<JsonElement>($"/api/observability/traces/{runId}", cts.Token);
        var traceId = link.GetProperty("traceId").GetString()!;
        var traceUrl = link.GetProperty("traceUrl").GetString()!;
        Assert.Equal($"{host.Dashboard.ToString().TrimEnd('/')}/traces/detail/{traceId}", traceUrl);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var evidence = new BrowserEvidence(page);
        try
        {
            Directory.CreateDirectory(Screenshots);

            // Log in with the printed link: the dashboard answers with its resources page.
            // A known failure of the dashboard itself (Aspire 13.6.5), not a missing wait here: on a loaded machine this first
            // page can lose its Blazor circuit ("An unhandled error has occurred", "No resources found", "Showing 0
            // resources"). The dashboard then logs "Unhandled exception in circuit" with an ObjectDisposedException for
            // DotNetObjectReference<VirtualizeJsInterop> thrown in Virtualize<T>.OnAfterRenderAsync: a virtualized list on the
            // page (the resources grid is one) called into JS after its .NET reference had been released. Everything the page
            // needs was ready (every resource healthy, the AppHost's resource service answering the dashboard's first call,
            // which this page load itself makes), so nothing is left that this test, or a user, could wait for. The browser's
            // console and the AppHost's output (the dashboard's log) are kept next to the screenshots to show the cause.
            // So the test does what the dashboard's error bar offers a user, once, and only for that crash: when the bar
            // shows and the console has that exception, it reloads the page; any other failure of the page fails the test.
            evidence.Add($"log in: {login}");
            await page.GotoAsync(login.ToString());
            var resources = page.GetByText("websockethub");
            var circuitLost = page.GetByText("An unhandled error has occurred");
            await Microsoft.Playwright.Assertions.Expect(resources.Or(circuitLost).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            if (await circuitLost.First.IsVisibleAsync())
            {
                await evidence.DashboardVirtualizeCrash.WaitAsync(TimeSpan.FromSeconds(10), cts.Token);
                evidence.Add("the dashboard lost its circuit with its known Virtualize crash (above): reloading once, as its error bar offers");
                await page.ReloadAsync();
            }

            await Microsoft.Playwright.Assertions.Expect(resources.First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "1-resources.png") });

            // The run's trace: spans of the three services in one trace (telemetry arrives within seconds; reload until then).
            await UntilAsync(page, traceUrl, async () =>
            {
                var text = await page.InnerTextAsync("body");
                return text.Contains("gateway", StringComparison.Ordinal) && text.Contains("worker", StringComparison.Ordinal) && text.Contains("websockethub", StringComparison.Ordinal);
            }, cts.Token);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "2-trace.png"), FullPage = true });

            // The plan's LLM call in the dashboard's GenAI view: the model, its token count and the prompt, with the e-mail
            // address in the task masked before it left the worker.
            var chat = page.Locator("tr").Filter(new() { HasText = "chat gpt-4o-mini" }).First;
            await chat.GetByRole(AriaRole.Button, new() { Name = "GenAI details" }).ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(page.GetByText("Input & output").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var genAi = await page.InnerTextAsync("body");
            Assert.Matches(TokensShown(), genAi);
            Assert.Contains("Explain how a trace crosses a queue", genAi, StringComparison.Ordinal);
            Assert.DoesNotContain("alice@example.com", genAi, StringComparison.Ordinal);
            Assert.Contains("send questions to ***", genAi, StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "2b-genai.png"), FullPage = true });

            // The structured logs of the worker replica that ran it (the trace names the replica), filtered by that trace.
            var replica = WorkerReplica().Match(await page.InnerTextAsync("body")).Value;
            Assert.NotEmpty(replica);
            await UntilAsync(page, $"{host.Dashboard.ToString().TrimEnd('/')}/structuredlogs/resource/{replica}?traceId={traceId}", async () =>
                LogRow().IsMatch(await page.InnerTextAsync("body")), cts.Token);
            Assert.Contains(replica, await page.InnerTextAsync("body"), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "3-worker-logs.png"), FullPage = true });

            // Restart the hub from the resources page: a new process serves it.
            var hubPid = processes.Single(p => p.CommandLine.EndsWith("Observability.WebSocketHub.dll", StringComparison.Ordinal)).Pid;
            await page.GotoAsync(host.Dashboard.ToString());
            var row = page.Locator("fluent-data-grid-row, tr").Filter(new() { HasText = "websockethub" }).First;
            // Start and Stop are the row's highlighted commands; Restart is in its "Actions" ("...") menu. The dashboard
            // builds that menu lazily on the first click and opens it once Fluent UI's menu script has initialised, which
            // writes aria-expanded on the button (the dashboard's AspireMenuButton waits for that same signal, but only
            // 100 ms). A click on an item of a menu whose script is still initialising is the likely way the Restart
            // click was lost once (session 12, never reproduced on demand): so wait for the menu's own "open" state
            // before choosing Restart, then for the dashboard to acknowledge the command (its toast, '"Restart"
            // starting'), so that a lost click fails here, at once and with the page's evidence.
            var actions = row.GetByTitle("Actions", new() { Exact = true });
            await actions.ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(actions).ToHaveAttributeAsync("aria-expanded", "true", new() { Timeout = 30_000 });
            evidence.Add("the websockethub row's Actions menu is open");
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Restart" }).ClickAsync();
            evidence.Add("clicked Restart");
            await Microsoft.Playwright.Assertions.Expect(page.GetByText("\"Restart\" starting").Or(page.GetByText("\"Restart\" succeeded")).First)
                .ToBeVisibleAsync(new() { Timeout = 30_000 });
            evidence.Add("the dashboard acknowledged the Restart command");
            while (ProcFs.IsRunning(hubPid) || !host.Descendants().Any(p => p.CommandLine.EndsWith("Observability.WebSocketHub.dll", StringComparison.Ordinal)))
            {
                await Task.Delay(200, cts.Token);
            }

            await Microsoft.Playwright.Assertions.Expect(row).ToContainTextAsync("Running", new() { Timeout = 60_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "4-restarted.png") });
            await evidence.SaveAsync(host, Screenshots);
        }
        catch (Exception)
        {
            await evidence.SaveFailureAsync(page, host, Screenshots);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and reloads until <paramref name="condition"/> holds; the token is the deadline.</summary>
    private static async Task UntilAsync(IPage page, string url, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            await page.GotoAsync(url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (await condition())
            {
                return;
            }

            await Task.Delay(1000, cancellationToken);
        }
    }

    private static async Task WaitHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>A worker replica's name as the dashboard shows it (worker-xxxxxxxx).</summary>
    [GeneratedRegex(@"\bworker-[a-z0-9]{8}\b")]
    private static partial Regex WorkerReplica();

    /// <summary>A structured log row shows its level.</summary>
    [GeneratedRegex(@"Tokens\s+\d+")]
    private static partial Regex TokensShown();

    [GeneratedRegex(@"\b(Information|Warning)\b")]
    private static partial Regex LogRow();
}
