using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Observability.AppHost.Startup;

/// <summary>
/// Starts every .NET project resource from its build output (<c>dotnet Observability.Gateway.dll</c>) instead of
/// Aspire's default <c>dotnet run --project … --no-build</c>, which puts the .NET SDK and an MSBuild evaluation of the
/// project in front of every replica's start: five of them at once on a two-core machine were most of the AppHost's
/// start-up time (docs/benchmarks.md, "AppHost"). The AppHost build already builds the projects it references in its own
/// configuration; <c>AppHost.csproj</c> embeds where each one's assembly is (<see cref="MetadataKey"/>).
/// </summary>
/// <remarks>
/// Run mode only (publishing describes projects, it does not start them), not under an IDE session (the IDE launches
/// projects itself, with its debugger), and only for a project whose built assembly is on disk; everything else keeps
/// Aspire's launch. <c>AppHost:LaunchFromBuildOutput=false</c> turns it off.
/// </remarks>
internal static class BuildOutputLaunchExtensions
{
    /// <summary>
    /// Key of the AppHost's <see cref="AssemblyMetadataAttribute"/> that lists each referenced project's file and built
    /// assembly: <c>project|assembly;project|assembly…</c>.
    /// </summary>
    internal const string MetadataKey = "Observability.ProjectOutputs";

    public static IDistributedApplicationBuilder LaunchProjectsFromBuildOutput(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode
            || !builder.Configuration.GetValue("AppHost:LaunchFromBuildOutput", true)
            || !string.IsNullOrEmpty(builder.Configuration["DEBUG_SESSION_PORT"]))
        {
            return builder;
        }

        var outputs = BuiltAssemblies();
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                var projectPath = Path.GetFullPath(project.GetProjectMetadata().ProjectPath);
                if (!outputs.TryGetValue(projectPath, out var assembly) || !File.Exists(assembly))
                {
                    continue;
                }

                project.Annotations.Add(new ExecutableAnnotation
                {
                    Command = "dotnet",
                    WorkingDirectory = Path.GetDirectoryName(projectPath)!,
                });
                // The assembly comes before any argument the model gives the project.
                project.Annotations.Add(new CommandLineArgsCallbackAnnotation(args => args.Insert(0, assembly)));
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    private static Dictionary<string, string> BuiltAssemblies()
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var value = typeof(BuildOutputLaunchExtensions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataKey)?.Value ?? string.Empty;
        return value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('|'))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => Path.GetFullPath(pair[0]), pair => pair[1], comparer);
    }
}
