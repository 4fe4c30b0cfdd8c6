using System.Diagnostics;

namespace Observability.ServiceDefaults.Tests.Logging;

/// <summary>Runs the ServiceDefaults test app as a real child process and captures its stdout and stderr.</summary>
internal static class TestAppProcess
{
    private const string AppFileName = "Observability.ServiceDefaults.TestApp.dll";

    public static async Task<(string StandardOutput, string StandardError)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var appPath = Path.Combine(AppContext.BaseDirectory, AppFileName);
        Assert.True(File.Exists(appPath), $"The test app was not built next to the tests: {appPath}");

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(appPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The child decides its environment from its arguments only.
        startInfo.Environment.Remove("DOTNET_ENVIRONMENT");
        startInfo.Environment.Remove("ASPNETCORE_ENVIRONMENT");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = (await stdout, await stderr);
            Assert.True(process.ExitCode == 0, $"The test app exited with {process.ExitCode}: {output.Item2}");
            return output;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
