namespace Observability.Hosting.ApplicationModel;

/// <summary>Adds behaviour to a resource while the application is composed (covariant, as in Aspire).</summary>
/// <typeparam name="T">The resource type.</typeparam>
public interface IResourceBuilder<out T>
    where T : Resource
{
    /// <summary>The resource being composed.</summary>
    T Resource { get; }

    /// <summary>The application the resource belongs to.</summary>
    DistributedApplicationBuilder ApplicationBuilder { get; }
}
