namespace Observability.Hosting.Orchestration;

/// <summary>How servers run (<c>AppHost:Runtime</c>).</summary>
internal enum RuntimeMode
{
    /// <summary>A container engine when one answers, else local binaries.</summary>
    Auto,

    /// <summary>Local binaries only (redis-server, initdb/postgres).</summary>
    Local,

    /// <summary>A container engine only.</summary>
    Container,
}
