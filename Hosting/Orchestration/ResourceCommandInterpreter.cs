using System.Globalization;
using System.Text;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// The app host's console commands: <c>status</c>, <c>stop NAME</c>, <c>start NAME</c>, <c>restart NAME</c>,
/// <c>logs NAME</c> (the last lines a resource wrote), <c>help</c>.
/// </summary>
internal sealed class ResourceCommandInterpreter(ApplicationOrchestrator orchestrator, ResourceNotificationService notifications)
{
    private const int LogLines = 40;

    public const string Help = "Commands: status | stop NAME | start NAME | restart NAME | logs NAME | help";

    public async Task<string> ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            switch (words)
            {
                case ["status"]:
                    return Status();
                case ["stop", var name]:
                    await orchestrator.StopResourceAsync(name, cancellationToken).ConfigureAwait(false);
                    return $"{name}: stopped";
                case ["start", var name]:
                    orchestrator.StartResource(name);
                    return $"{name}: starting";
                case ["restart", var name]:
                    await orchestrator.RestartResourceAsync(name, cancellationToken).ConfigureAwait(false);
                    return $"{name}: restarting";
                case ["logs", var name]:
                    return string.Join('\n', orchestrator.Logs(name).Snapshot().TakeLast(LogLines)
                        .Select(l => $"{l.Timestamp.ToLocalTime():HH:mm:ss.fff} {l.InstanceId} {(l.IsError ? "err" : "out")} {l.Text}"));
                default:
                    return Help;
            }
        }
        catch (KeyNotFoundException e)
        {
            return e.Message;
        }
    }

    private string Status()
    {
        var text = new StringBuilder();
        foreach (var replica in notifications.GetAll())
        {
            text.Append(CultureInfo.InvariantCulture, $"{replica.InstanceId,-22} {replica.State,-13} {(replica.ProcessId is { } pid ? "pid " + pid.ToString(CultureInfo.InvariantCulture) : string.Empty),-10} {replica.Reason}").Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }
}
