using Observability.Deploy.ManifestTool;

// Usage: ManifestTool <aspire-manifest.json> <deploy-settings.json> <output folder>
// Writes <output>/kubernetes/ (a kustomize base) and <output>/compose/ (compose.yaml), replacing what was there.
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("Usage: ManifestTool <aspire-manifest.json> <deploy-settings.json> <output folder>");
    return 2;
}

var files = DeploymentGenerator.Generate(await File.ReadAllTextAsync(args[0]), await File.ReadAllTextAsync(args[1]));
foreach (var folder in files.Keys.Select(f => Path.Combine(args[2], Path.GetDirectoryName(f)!)).Distinct())
{
    if (Directory.Exists(folder))
    {
        Directory.Delete(folder, recursive: true);
    }

    Directory.CreateDirectory(folder);
}

foreach (var (path, content) in files)
{
    await File.WriteAllTextAsync(Path.Combine(args[2], path), content);
    Console.WriteLine(Path.Combine(args[2], path));
}

return 0;
