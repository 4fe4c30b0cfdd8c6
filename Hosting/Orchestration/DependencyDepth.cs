using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// How deep each resource sits in the dependency graph (0: depends on nothing). Dependents are always deeper, so
/// stopping from the deepest level up stops every resource before what it depends on. Rejects cycles.
/// </summary>
internal static class DependencyDepth
{
    public static Dictionary<Resource, int> Of(IEnumerable<Resource> resources)
    {
        var depth = new Dictionary<Resource, int>();
        var visiting = new HashSet<Resource>();
        foreach (var resource in resources)
        {
            Visit(resource, depth, visiting, []);
        }

        return depth;
    }

    private static int Visit(Resource resource, Dictionary<Resource, int> depth, HashSet<Resource> visiting, List<string> path)
    {
        if (depth.TryGetValue(resource, out var known))
        {
            return known;
        }

        path.Add(resource.Name);
        if (!visiting.Add(resource))
        {
            throw new InvalidOperationException($"Resources depend on each other in a cycle: {string.Join(" -> ", path)}.");
        }

        var value = resource.Dependencies.Select(d => Visit(d, depth, visiting, path) + 1).DefaultIfEmpty(0).Max();
        visiting.Remove(resource);
        path.RemoveAt(path.Count - 1);
        depth[resource] = value;
        return value;
    }
}
