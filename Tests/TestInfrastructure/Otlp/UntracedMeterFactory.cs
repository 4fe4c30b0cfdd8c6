using System.Diagnostics.Metrics;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// Gives the receiver's own Kestrel and hosting meters a prefixed name, so a service under test that listens to
/// <c>Microsoft.AspNetCore.*</c> meters does not count the receiver's export requests as its own traffic.
/// </summary>
internal sealed class UntracedMeterFactory(string prefix) : IMeterFactory
{
    private readonly Lock _lock = new();
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(prefix + "." + options.Name)
        {
            Version = options.Version,
            Tags = options.Tags,
            Scope = this,
        });
        lock (_lock)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
