namespace Observability.Workflows.Alerts;

/// <summary>A threshold crossed by an observed value (table <c>alerts</c>, added in schema version 2).</summary>
public sealed class Alert
{
    public Guid Id { get; set; }

    /// <summary>The run it is about, when it is about one (error rates are not).</summary>
    public Guid? RunId { get; set; }

    public AlertKind Kind { get; set; }

    public double Threshold { get; set; }

    public double ObservedValue { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
