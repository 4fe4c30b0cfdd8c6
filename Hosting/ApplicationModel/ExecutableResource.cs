using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.ApplicationModel;

/// <summary>Any program: a long-running tool, or a one-shot job (a migration) others wait to complete.</summary>
public sealed class ExecutableResource : Resource, IResourceWithEnvironment
{
    internal ExecutableResource(string name, string command, string workingDirectory, IReadOnlyList<string> arguments)
        : base(name)
    {
        Command = command;
        WorkingDirectory = workingDirectory;
        Arguments = arguments;
    }

    /// <summary>The program, on PATH or a full path.</summary>
    public string Command { get; }

    /// <summary>The working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(Command, Arguments, WorkingDirectory, EnvironmentFactory.Create(this, context));
        return await context.Host.Launcher.StartAsync(spec, context.Log, context.InstanceId).ConfigureAwait(false);
    }
}
