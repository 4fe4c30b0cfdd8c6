using System.Security.Cryptography;

namespace Observability.Hosting.ApplicationModel;

/// <summary>
/// Generated parameter values, one file each (mode 0600) under <c>{state directory}/parameters</c>: generated once
/// per user and application, reused on every run (a database initialised with a password needs the same one later).
/// </summary>
internal sealed class ParameterStore(string directory)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly Lock _lock = new();

    public string GetOrGenerate(string name, int length)
    {
        lock (_lock)
        {
            var file = Path.Combine(directory, name);
            if (File.Exists(file))
            {
                return File.ReadAllText(file).Trim();
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var value = RandomNumberGenerator.GetString(Alphabet, length);
            using (File.Create(file))
            {
            }

            if (!OperatingSystem.IsWindows())
            {
                // Readable by its owner only, before the secret is written.
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(file, value);

            return value;
        }
    }
}
