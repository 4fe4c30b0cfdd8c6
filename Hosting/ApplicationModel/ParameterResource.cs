using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.ApplicationModel;

/// <summary>
/// A value the application needs (a password, a setting): from configuration <c>Parameters:{name}</c>, else
/// generated once and kept per user outside the repository.
/// </summary>
public sealed class ParameterResource : Resource
{
    private readonly Lazy<string> _value;

    internal ParameterResource(string name, Func<string> resolve, bool secret)
        : base(name)
    {
        _value = new Lazy<string>(resolve, LazyThreadSafetyMode.ExecutionAndPublication);
        Secret = secret;
    }

    /// <summary>True when the value must not be printed.</summary>
    public bool Secret { get; }

    /// <summary>The value (resolved on first use).</summary>
    public string Value => _value.Value;

    internal override bool IsOrchestrated => false;

    internal override Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Parameter '{Name}' is a value, not something to start.");
}
