using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Observability.Workflows.Migrations;

/// <summary>
/// One schema version: an embedded <c>Migrations/NNNN_name.sql</c> resource. The checksum is SHA-256 (hex) of the
/// text with line endings normalised to LF, so a checkout's line-ending settings do not change it.
/// </summary>
internal sealed record MigrationScript(int Version, string Name, string Sql, string Checksum)
{
    private const string ResourcePrefix = "Observability.Workflows.Migrations.";

    /// <summary>The scripts embedded in this assembly, ordered by version.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(script => script.Version)
            .ToList();
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migration scripts share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }

        return scripts;
    }

    private static MigrationScript Load(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..^".sql".Length];
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration script '{fileName}.sql' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Migration resource '{resourceName}' could not be read.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new MigrationScript(version, fileName, sql, checksum);
    }
}
