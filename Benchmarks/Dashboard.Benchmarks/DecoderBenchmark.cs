using System.Diagnostics;
using Observability.Dashboard.Benchmarks.Generated;
using Observability.Dashboard.Otlp;

namespace Observability.Dashboard.Benchmarks;

/// <summary>
/// The measurement behind the decoder choice: protoc-generated Google.Protobuf parsing (objects only, before any
/// conversion to our model) against the hand-written decoder (straight into the stored model), same payloads.
/// </summary>
internal static class DecoderBenchmark
{
    public static void Run(List<byte[]> payloads, int spansPerBatch)
    {
        var sample = payloads.Take(200).ToList();
        var spans = (double)sample.Count * spansPerBatch;
        var generatedSpans = ExportTraceServiceRequest.Parser.ParseFrom(sample[0]).ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count));
        var context = new OtlpDecodeContext(new OtlpLimits(128, 4096, 128, 32), new Utf8StringCache());
        var handSpans = ProtoTraceDecoder.Decode(sample[0], context).Sum(g => g.Items.Count);
        if (generatedSpans != spansPerBatch || handSpans != spansPerBatch)
        {
            throw new InvalidOperationException($"Decoders disagree: generated {generatedSpans}, hand-written {handSpans} spans.");
        }

        // Best of five alternating rounds: the machine is shared, the fastest round is the least disturbed one.
        (double Seconds, double Bytes) generated = (double.MaxValue, 0), handWritten = (double.MaxValue, 0);
        for (var round = 0; round < 5; round++)
        {
            var g = Time(sample, payload => ExportTraceServiceRequest.Parser.ParseFrom(payload));
            var h = Time(sample, payload => ProtoTraceDecoder.Decode(payload, context));
            generated = g.Seconds < generated.Seconds ? g : generated;
            handWritten = h.Seconds < handWritten.Seconds ? h : handWritten;
        }

        Console.WriteLine($"Decode only (best of 5): Google.Protobuf generated parse {spans / generated.Seconds:N0} spans/s, " +
            $"{generated.Bytes / spans:N0} bytes allocated per span (before any conversion to a stored model); " +
            $"hand-written decode into our model {spans / handWritten.Seconds:N0} spans/s, {handWritten.Bytes / spans:N0} bytes allocated per span");
    }

    private static (double Seconds, double Bytes) Time(List<byte[]> payloads, Action<byte[]> decode)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        foreach (var payload in payloads)
        {
            decode(payload);
        }

        return (stopwatch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }
}
