using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace Observability.AppHost.Tests.Browser;

/// <summary>
/// What a browser test leaves behind to find the cause of a failure: the page's console messages (Blazor writes a
/// circuit's unhandled exception there), uncaught errors, failed requests and navigations, and the AppHost's console
/// output (which carries the dashboard's own warnings and errors, exceptions included, as Aspire relays them under
/// <c>Aspire.Hosting.Dashboard.*</c>), each line with its UTC time, written next to the screenshots; on failure also a
/// screenshot of the page as it failed, and the lines in the test's output.
/// </summary>
internal sealed class BrowserEvidence
{
    private readonly ConcurrentQueue<string> _browser = new();
    private readonly TaskCompletionSource _virtualizeCrash = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BrowserEvidence(IPage page)
    {
        page.Console += (_, message) =>
        {
            Add($"console.{message.Type}: {message.Text}");
            if (message.Type == "error"
                && message.Text.Contains("ObjectDisposedException", StringComparison.Ordinal)
                && message.Text.Contains("VirtualizeJsInterop", StringComparison.Ordinal))
            {
                _virtualizeCrash.TrySetResult();
            }
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                Add($"navigated: {frame.Url}");
            }
        };
    }

    /// <summary>
    /// Completes when the page's console shows the dashboard's known circuit crash: an <c>ObjectDisposedException</c>
    /// for <c>DotNetObjectReference&lt;VirtualizeJsInterop&gt;</c> (Aspire 13.6.5's dashboard, see the browser test).
    /// </summary>
    public Task DashboardVirtualizeCrash => _virtualizeCrash.Task;

    /// <summary>Adds a line of the test's own (a step it reached), in order with the browser's.</summary>
    public void Add(string line) =>
        _browser.Enqueue($"{TimeProvider.System.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {line}");

    /// <summary>Writes the browser's and the AppHost's lines under <paramref name="directory"/>.</summary>
    public async Task SaveAsync(AppHostProcess host, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "browser.log"), string.Join('\n', _browser));
        await File.WriteAllTextAsync(Path.Combine(directory, "apphost.log"), host.TimedOutput);
    }

    /// <summary>Saves a screenshot of the page as it failed and the lines (also into the test's output).</summary>
    public async Task SaveFailureAsync(IPage page, AppHostProcess host, string directory)
    {
        Directory.CreateDirectory(directory);
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "failure.png"), FullPage = true, Timeout = 10_000 });
        }
        catch (PlaywrightException exception)
        {
            Add($"no screenshot: {exception.Message}");
        }

        await SaveAsync(host, directory);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"--- browser ---\n{string.Join('\n', _browser)}\n--- AppHost output (the dashboard's log included) ---\n{host.TimedOutput}");
    }
}
