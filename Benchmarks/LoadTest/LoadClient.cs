using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Observability.LoadTest;

/// <summary>
/// One user of the platform: submits runs to the Gateway (its own connection pool, <c>X-Api-Key</c> and session) and
/// follows each one on its WebSocket to the hub: subscribes with the run's ticket from the submit's answer, checks every
/// event's number, unsubscribes when the run's terminal event arrives.
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    /// <summary>Three sentences: the simulated planner makes a five-step plan of it (as in Worker.Benchmarks).</summary>
    private const string TaskText = "Research the market for solar panels. Write a summary of the findings; then draft a recommendation";

    /// <summary>How often one run is subscribed to again after <c>unavailable</c>, each time <see cref="ResubscribeDelay"/> later than the last.</summary>
    private const int MaxResubscribes = 5;

    private static readonly TimeSpan ResubscribeDelay = TimeSpan.FromMilliseconds(250);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly Uri WorkflowsPath = new("/api/workflows", UriKind.Relative);

    private readonly HttpClient _http;
    private readonly ClientWebSocket _socket;
    private readonly string _eventsUrl;
    private readonly LoadCounters _counters;
    private readonly byte[] _submitBody;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<Guid, RunRecord> _runs = new();
    private readonly ArrayBufferWriter<byte> _frame = new(16 * 1024);

    private LoadClient(HttpClient http, ClientWebSocket socket, string eventsUrl, LoadCounters counters, byte[] submitBody)
    {
        _http = http;
        _socket = socket;
        _eventsUrl = eventsUrl;
        _counters = counters;
        _submitBody = submitBody;
    }

    /// <summary>The runs this client submitted and the Gateway accepted.</summary>
    public ICollection<RunRecord> Runs => _runs.Values;

    /// <summary>Connects client <paramref name="index"/>'s WebSocket to <paramref name="eventsUrl"/>.</summary>
    public static async Task<LoadClient> ConnectAsync(int index, Uri gateway, Uri eventsUrl, LoadCounters counters, CancellationToken cancellationToken)
    {
        var name = $"load-{index.ToString(CultureInfo.InvariantCulture)}";
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };

        // One rate-limit partition per client, as distinct users of the API have.
        http.DefaultRequestHeaders.Add("X-Api-Key", name);
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(eventsUrl, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            http.Dispose();
            throw;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new SubmitRequest(TaskText, name), LoadTestJsonContext.Default.SubmitRequest);
        return new LoadClient(http, socket, eventsUrl.AbsoluteUri, counters, body);
    }

    /// <summary>Submits one run due at <paramref name="dueTimestamp"/>, then subscribes to its events.</summary>
    public async Task SubmitAsync(long dueTimestamp, bool inWarmup, CancellationToken cancellationToken)
    {
        _counters.SubmitStarted();
        try
        {
            using var content = new ByteArrayContent(_submitBody);
            content.Headers.ContentType = Json;
            using var response = await _http.PostAsync(WorkflowsPath, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _counters.Error($"submit: HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}");
                return;
            }

            var answer = JsonSerializer.Deserialize(
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), LoadTestJsonContext.Default.SubmitResponse);
            var accepted = Stopwatch.GetTimestamp();
            if (answer is null || answer.RunId == Guid.Empty || string.IsNullOrEmpty(answer.EventsTicket))
            {
                _counters.Error("submit: answer without run id or ticket");
                return;
            }

            if (!string.Equals(answer.EventsUrl, _eventsUrl, StringComparison.Ordinal))
            {
                _counters.Error("submit: eventsUrl is not the hub's /ws");
            }

            if (!_runs.TryAdd(answer.RunId, new RunRecord(answer.RunId, answer.EventsTicket, dueTimestamp, accepted, inWarmup)))
            {
                _counters.Error("submit: run id answered twice");
                return;
            }

            _counters.RunAccepted();
            await SendAsync(new RunFrame("subscribe", answer.RunId, answer.EventsTicket), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            _counters.Error($"submit: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _counters.Error("submit: timed out after 30 s");
        }
        catch (JsonException)
        {
            _counters.Error("submit: unreadable answer");
        }
        catch (WebSocketException)
        {
            _counters.Error("subscribe: WebSocket send failed");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _counters.Error("submit: still waiting when the test was stopped");
        }
        finally
        {
            _counters.SubmitEnded();
        }
    }

    /// <summary>Reads the hub's frames until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReceiveFrameAsync(cancellationToken).ConfigureAwait(false))
            {
                Handle(_frame.WrittenSpan, Stopwatch.GetTimestamp(), cancellationToken);
            }

            _counters.Error($"hub closed the WebSocket ({_socket.CloseStatus?.ToString() ?? "no status"})");
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && cancellationToken.IsCancellationRequested)
        {
            // The test is over (cancelling a receive aborts the socket, so the next call may report that state instead).
        }
        catch (WebSocketException)
        {
            _counters.Error("hub connection lost");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "load test over", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Closing is best effort: the socket is disposed next.
            }
        }

        _socket.Dispose();
        _http.Dispose();
        _sendLock.Dispose();
    }

    private void Handle(ReadOnlySpan<byte> bytes, long now, CancellationToken cancellationToken)
    {
        HubFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(bytes, LoadTestJsonContext.Default.HubFrame);
        }
        catch (JsonException)
        {
            frame = null;
        }

        if (frame is null)
        {
            _counters.Error("hub: unreadable frame");
            return;
        }

        switch (frame.Type)
        {
            case "event" when frame.RunId is { } runId && frame.Event is { } workflowEvent:
                if (!_runs.TryGetValue(runId, out var run))
                {
                    _counters.Error("hub: event of a run this client did not submit");
                }
                else if (run.Receive(frame.Id, workflowEvent.Sequence, workflowEvent.Type, now))
                {
                    _counters.RunFinished();
                    _ = UnsubscribeAsync(runId, cancellationToken);
                }

                break;
            case "subscribed" or "heartbeat":
                break;
            case "truncated":
                _counters.TruncatedFrame();
                break;
            case "error" when frame.Code == "unavailable" && frame.RunId is { } refused && _runs.TryGetValue(refused, out var again)
                && again.Resubscribed < MaxResubscribes:
                // The protocol's answer to "unavailable": subscribe again later, from the last event seen.
                again.Resubscribed++;
                _counters.Resubscribe();
                _ = ResubscribeAsync(again, again.LastEventId, cancellationToken);
                break;
            case "error":
                _counters.Error($"hub: error {frame.Code}");
                break;
            default:
                _counters.Error($"hub: unexpected frame '{frame.Type}'");
                break;
        }
    }

    private async Task ResubscribeAsync(RunRecord run, string? lastEventId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(ResubscribeDelay * run.Resubscribed, cancellationToken).ConfigureAwait(false);
            await SendAsync(new RunFrame("subscribe", run.RunId, run.Ticket, lastEventId), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The test is over.
        }
        catch (WebSocketException)
        {
            _counters.Error("subscribe again: WebSocket send failed");
        }
    }

    private async Task UnsubscribeAsync(Guid runId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(new RunFrame("unsubscribe", runId, null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _counters.Error("unsubscribe: WebSocket send failed");
        }
    }

    private async Task SendAsync(RunFrame frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, LoadTestJsonContext.Default.RunFrame);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads one whole message into <see cref="_frame"/>; false when the hub closed the connection.</summary>
    private async Task<bool> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        _frame.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_frame.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            _frame.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }
}
