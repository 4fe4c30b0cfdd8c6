using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Observability.Hosting.Orchestration;

/// <summary>Reads commands typed at the app host's console (only when the console is a terminal).</summary>
internal sealed class ConsoleCommandService(ResourceCommandInterpreter interpreter, ILogger<ConsoleCommandService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.CommandOutput(logger, ResourceCommandInterpreter.Help);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Console reads cannot be cancelled: the read runs apart, and shutdown does not wait for it.
            var line = await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(stoppingToken).ConfigureAwait(false);
            if (line is null)
            {
                return;
            }

            if (line.Trim().Length > 0)
            {
                Log.CommandOutput(logger, await interpreter.ExecuteAsync(line, stoppingToken).ConfigureAwait(false));
            }
        }
    }
}
