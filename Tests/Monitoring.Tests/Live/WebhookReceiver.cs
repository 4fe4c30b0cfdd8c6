using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Observability.TestInfrastructure.Processes;

namespace Observability.Monitoring.Tests.Live;

/// <summary>A local HTTP endpoint standing in for a notification channel (the Slack webhook): records every POST body.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Url = new Uri($"http://127.0.0.1:{LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public IReadOnlyCollection<string> Bodies => _bodies;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopped while waiting for a request.
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                _bodies.Enqueue(await reader.ReadToEndAsync());
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
