using System.Buffers;
using System.IO.Compression;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Reads an export body, gunzipping it when <c>Content-Encoding: gzip</c>, never holding more than the limit
/// (compressed or decompressed): a zip bomb stops at the limit with 413.
/// </summary>
internal static class RequestBodyReader
{
    public static async Task<(RequestBodyStatus Status, RequestBody? Body)> ReadAsync(
        Stream body, string? contentEncoding, long? contentLength, int maxBytes, CancellationToken cancellationToken)
    {
        var gzip = false;
        if (!string.IsNullOrEmpty(contentEncoding) && !string.Equals(contentEncoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(contentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
            {
                return (RequestBodyStatus.UnsupportedEncoding, null);
            }

            gzip = true;
        }

        if (contentLength > maxBytes)
        {
            return (RequestBodyStatus.TooLarge, null);
        }

        var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(gzip ? 64 * 1024 : contentLength ?? 16 * 1024, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (RequestBodyStatus.TooLarge, null);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (RequestBodyStatus.TooLarge, null);
                }
            }

            return (RequestBodyStatus.Ok, new RequestBody(buffer, length));
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (RequestBodyStatus.InvalidCompression, null);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
