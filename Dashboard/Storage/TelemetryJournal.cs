using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Storage;

/// <summary>
/// Append-only segment files under <c>Dashboard:Storage:DataDirectory</c>: every accepted export, as received,
/// and every per-resource clear. Replaying them in order rebuilds the store after a restart. Segments roll at
/// <c>SegmentBytes</c>; whole segments are deleted past <c>RetentionAge</c> or beyond <c>RetentionBytes</c>.
/// Record: int32 payload length, byte kind, byte format, int64 Unix milliseconds, payload (little-endian).
/// </summary>
internal sealed class TelemetryJournal : IDisposable
{
    private const int HeaderBytes = 14;
    private const string Extension = ".otlpseg";
    private readonly Lock _lock = new();
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private FileStream? _current;
    private long _nextIndex;

    private readonly ILogger _logger;
    private long _writeFailures;

    public TelemetryJournal(IOptions<StorageOptions> options, TimeProvider time, ILogger<TelemetryJournal> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.IsPersistent)
        {
            Directory.CreateDirectory(_options.DataDirectory!);
            _nextIndex = Segments().Select(IndexOf).DefaultIfEmpty(0).Max() + 1;
        }
    }

    public bool IsEnabled => _options.IsPersistent;

    public void Append(JournalRecordKind kind, byte format, ReadOnlySpan<byte> payload)
    {
        if (!IsEnabled)
        {
            return;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        header[4] = (byte)kind;
        header[5] = format;
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], _time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_lock)
        {
            try
            {
                if (_current is null || _current.Length >= _options.SegmentBytes)
                {
                    Roll();
                }

                _current!.Write(header);
                _current.Write(payload);
                _current.Flush();
            }
            catch (IOException exception)
            {
                // The export is already in memory; a full or failing disk costs persistence, not ingest. The next
                // append starts a fresh segment, so a torn record only ends the damaged one.
                _current?.Dispose();
                _current = null;
                _writeFailures++;
                Log.JournalWriteFailed(_logger, exception);
            }
        }
    }

    /// <summary>Appends that could not be written (disk full, I/O error) since start.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Every record of the retained segments, oldest first. A torn record at a segment's end is skipped.</summary>
    public IEnumerable<JournalRecord> ReadAll()
    {
        if (!IsEnabled)
        {
            yield break;
        }

        EnforceRetention();
        foreach (var segment in Segments())
        {
            using var stream = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[HeaderBytes];
            while (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) == HeaderBytes)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                if (length < 0 || length > stream.Length - stream.Position)
                {
                    break;
                }

                var payload = new byte[length];
                stream.ReadExactly(payload);
                yield return new JournalRecord((JournalRecordKind)header[4], header[5], BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(6)), payload);
            }
        }
    }

    /// <summary>Deletes every segment (clear all).</summary>
    public void DeleteAll()
    {
        if (!IsEnabled)
        {
            return;
        }

        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
            foreach (var segment in Segments())
            {
                File.Delete(segment);
            }
        }
    }

    /// <summary>Deletes closed segments older than <c>RetentionAge</c>, then the oldest until within <c>RetentionBytes</c>.</summary>
    public void EnforceRetention()
    {
        if (!IsEnabled)
        {
            return;
        }

        lock (_lock)
        {
            DeleteExpired();
        }
    }

    public long SizeBytes() => IsEnabled ? Segments().Sum(path => new FileInfo(path).Length) : 0;

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    private void Roll()
    {
        _current?.Dispose();
        var path = Path.Combine(_options.DataDirectory!, _nextIndex.ToString("D12", CultureInfo.InvariantCulture) + Extension);
        _nextIndex++;
        _current = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
        DeleteExpired();
    }

    private void DeleteExpired()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - _options.RetentionAge;
        var segments = Segments().Select(path => new FileInfo(path))
            .Where(s => _current is null || !string.Equals(s.FullName, _current.Name, StringComparison.Ordinal))
            .ToList();
        var total = segments.Sum(s => s.Length) + (_current?.Length ?? 0);
        foreach (var segment in segments)
        {
            if (segment.LastWriteTimeUtc < cutoff || total > _options.RetentionBytes)
            {
                total -= segment.Length;
                segment.Delete();
            }
        }
    }

    private List<string> Segments() =>
        [.. Directory.EnumerateFiles(_options.DataDirectory!, "*" + Extension).Order(StringComparer.Ordinal)];

    private static long IndexOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
}
