using Observability.Deploy.ManifestTool;

// Usage: ManifestTool <aspire-manifest.json> <deploy-settings.json> <output folder>
// Writes <output>/kubernetes/ (a kustomize base) and <output>/compose/ (compose.yaml). Files it no longer writes are
// deleted, except the parameter values a user keeps there (parameters.env, .env: never committed).
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("Usage: ManifestTool <aspire-manifest.json> <deploy-settings.json> <output folder>");
    return 2;
}

var files = DeploymentGenerator.Generate(await File.ReadAllTextAsync(args[0]), await File.ReadAllTextAsync(args[1]));
var written = files.Keys.Select(f => Path.GetFullPath(Path.Combine(args[2], f))).ToHashSet(StringComparer.Ordinal);
foreach (var folder in written.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
{
    Directory.CreateDirectory(folder);
    foreach (var stale in Directory.EnumerateFiles(folder).Where(f => !written.Contains(f) && !DeploymentGenerator.IsParameterValues(Path.GetFileName(f))))
    {
        File.Delete(stale);
    }
}

foreach (var (path, content) in files)
{
    await File.WriteAllTextAsync(Path.Combine(args[2], path), content);
    Console.WriteLine(Path.Combine(args[2], path));
}

return 0;
