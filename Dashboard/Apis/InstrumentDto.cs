namespace Observability.Dashboard.Apis;

/// <summary>An instrument of a resource.</summary>
internal sealed record InstrumentDto(string Name, string? Description, string? Unit, string Kind, string Temporality, bool IsMonotonic,
    string Scope, int SeriesCount);
