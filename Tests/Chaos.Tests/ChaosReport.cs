using System.Globalization;

namespace Observability.Chaos.Tests;

/// <summary>What one scenario measured, as the test output reports it.</summary>
internal sealed record ChaosReport(
    string Scenario,
    int Accepted,
    int Refused,
    int Completed,
    int OtherTerminal,
    int Lost,
    int Duplicated,
    int RepeatedModelCalls,
    double? RecoverySeconds,
    double DrainSeconds)
{
    /// <summary>The accepted runs.</summary>
    public IReadOnlyList<Guid> Runs { get; init; } = [];

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"chaos {Scenario}: accepted={Accepted} refused={Refused} completed={Completed} other-terminal={OtherTerminal} lost={Lost} " +
        $"duplicated={Duplicated} repeated-model-calls={RepeatedModelCalls} " +
        $"recovery-s={(RecoverySeconds is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")} " +
        $"drain-s={DrainSeconds.ToString("0.0", CultureInfo.InvariantCulture)}");
}
