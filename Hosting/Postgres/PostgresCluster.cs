using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Postgres;

/// <summary>
/// A PostgreSQL data directory under the resource's state folder, initialised once with <c>initdb</c> (password
/// authentication, the password passed in a file that is deleted afterwards). PostgreSQL refuses to run as root:
/// as root the folder is given to the <c>postgres</c> user and the programs run as that user.
/// </summary>
internal sealed class PostgresCluster(string directory, string superUser)
{
    public string DataDirectory { get; } = Path.Combine(directory, "data");

    public async Task EnsureInitializedAsync(ReplicaContext context, string password, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        var launcher = context.Host.Launcher;
        var noEnvironment = new Dictionary<string, string?>();
        Directory.CreateDirectory(DataDirectory);
        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        try
        {
            if (NativeMethods.IsRoot)
            {
                await launcher.RunToCompletionAsync(
                    new ProcessSpec("chown", ["-R", $"{superUser}:{superUser}", directory], directory, noEnvironment),
                    context.Log, context.InstanceId, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }

            var initdb = PostgresBinaries.Find("initdb") ?? throw new InvalidOperationException("initdb was not found: install PostgreSQL (e.g. 'sudo apt-get install postgresql').");
            await launcher.RunToCompletionAsync(
                new ProcessSpec(
                    initdb,
                    ["-D", DataDirectory, "-U", superUser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"],
                    directory,
                    noEnvironment)
                { RunAsUser = superUser },
                context.Log, context.InstanceId, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A half-initialised cluster would be taken as ready next time.
            Directory.Delete(DataDirectory, recursive: true);
            throw;
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
