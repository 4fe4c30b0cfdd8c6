using Observability.TestInfrastructure.Processes;

namespace Observability.Monitoring.Tests.Live;

/// <summary>Readiness polling shared by the processes the live tests start.</summary>
internal static class Http
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Polls <paramref name="url"/> until it answers 2xx, the process exits or 90 s pass.</summary>
    public static Task WaitUntilOkAsync(ServerProcess process, Uri url, string what) =>
        process.WaitUntilReadyAsync(
            async ct =>
            {
                try
                {
                    using var response = await Client.GetAsync(url, ct);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            what);
}
