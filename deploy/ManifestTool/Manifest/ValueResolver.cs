namespace Observability.Deploy.ManifestTool.Manifest;

/// <summary>
/// Resolves the manifest's expressions (<c>{resource.bindings.http.url}</c>, <c>{cache.connectionString}</c>,
/// <c>{param.value}</c>) for a deployment where every resource is reachable by its name: the host is the resource's
/// name, a project listens on <paramref name="projectPort"/>, a container on its binding's target port, and every
/// parameter stays a reference (the deployment's secret store supplies it).
/// </summary>
internal sealed class ValueResolver(AspireManifest manifest, int projectPort)
{
    /// <summary>Resolves <paramref name="expression"/>, or throws <see cref="UnsupportedValueException"/>.</summary>
    public ResolvedValue Resolve(string expression)
    {
        var value = new ResolvedValue();
        var position = 0;
        while (position < expression.Length)
        {
            var open = expression.IndexOf('{', position);
            if (open < 0)
            {
                value.Append(expression[position..]);
                break;
            }

            var close = expression.IndexOf('}', open);
            if (close < 0)
            {
                throw new InvalidOperationException($"Unclosed expression in '{expression}'.");
            }

            value.Append(expression[position..open]);
            value.Append(ResolveReference(expression[(open + 1)..close]));
            position = close + 1;
        }

        return value;
    }

    /// <summary>The port a resource's binding listens on in the deployment.</summary>
    public int PortOf(ManifestResource resource, ManifestBinding binding) =>
        resource.IsProject ? projectPort : binding.TargetPort ?? throw new InvalidOperationException(
            $"Binding '{binding.Name}' of container '{resource.Name}' has no targetPort.");

    private ResolvedValue ResolveReference(string reference)
    {
        var path = reference.Split('.');
        var resource = manifest.Get(path[0]);
        switch (path[1..])
        {
            case ["connectionString"]:
                return Resolve(resource.ConnectionString ?? throw new InvalidOperationException($"'{resource.Name}' has no connection string."));
            case ["value"] when resource.IsParameter:
                var parameter = new ResolvedValue();
                parameter.AppendParameter(resource.Name);
                return parameter;
            case ["value"] when resource.Type == "annotated.string":
                throw new UnsupportedValueException($"'{resource.Name}' is a transformed value, which environment variables cannot compute");
            case ["value"]:
                return Resolve(resource.Value ?? throw new InvalidOperationException($"'{resource.Name}' has no value."));
            case ["bindings", var name, var property]:
                return ResolveBinding(resource, name, property);
            default:
                throw new UnsupportedValueException($"'{{{reference}}}' is not an expression this generator knows");
        }
    }

    private ResolvedValue ResolveBinding(ManifestResource resource, string name, string property)
    {
        if (!resource.Bindings.TryGetValue(name, out var binding))
        {
            throw new InvalidOperationException($"'{resource.Name}' has no binding '{name}'.");
        }

        if (binding.Scheme == "https")
        {
            throw new UnsupportedValueException($"'{resource.Name}.{name}' is an https endpoint; inside the cluster services talk plain http and TLS ends at the ingress");
        }

        var port = PortOf(resource, binding);
        var value = new ResolvedValue();
        value.Append(property switch
        {
            "host" => resource.Name,
            "port" or "targetPort" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "scheme" => binding.Scheme,
            "url" => $"{binding.Scheme}://{resource.Name}:{port}",
            _ => throw new UnsupportedValueException($"binding property '{property}' is not one this generator knows"),
        });
        return value;
    }
}

/// <summary>A manifest value the deployment cannot express; the variable is left out and listed.</summary>
internal sealed class UnsupportedValueException(string message) : Exception(message);
