namespace Observability.Gateway.Apis;

/// <summary>An alert raised about a run.</summary>
internal sealed record AlertDetails(string Kind, double Threshold, double ObservedValue, DateTimeOffset CreatedAt);
