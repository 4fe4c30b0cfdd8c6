namespace Observability.Hosting.ApplicationModel;

/// <summary>A resource that runs our code and receives configuration (references, environment variables).</summary>
public interface IResourceWithEnvironment
{
    /// <summary>The resource name.</summary>
    string Name { get; }
}
