using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;
using Observability.TestInfrastructure.Processes;

namespace Observability.Dashboard.Tests;

/// <summary>The journal's record format, torn-tail tolerance and retention by age.</summary>
public sealed class TelemetryJournalTests
{
    [Fact]
    public void ReadAll_AfterReopen_ReturnsRecordsInOrderAndSkipsTornTail()
    {
        var directory = TestDirectory.Create("journal");
        try
        {
            var options = Options.Create(new StorageOptions { DataDirectory = directory.Path });
            using (var journal = new TelemetryJournal(options, TimeProvider.System, NullLogger<TelemetryJournal>.Instance))
            {
                journal.Append(JournalRecordKind.Traces, 1, [1, 2, 3]);
                journal.Append(JournalRecordKind.Logs, 2, [4]);
            }

            var segment = Directory.GetFiles(directory.Path, "*.otlpseg").Single();
            using (var stream = new FileStream(segment, FileMode.Append))
            {
                stream.Write([200, 0, 0, 0, 1, 1, 0, 0]); // a header cut short by a crash
            }

            using var reopened = new TelemetryJournal(options, TimeProvider.System, NullLogger<TelemetryJournal>.Instance);
            var records = reopened.ReadAll().ToList();
            Assert.Equal([JournalRecordKind.Traces, JournalRecordKind.Logs], records.Select(r => r.Kind));
            Assert.Equal([1, 2, 3], records[0].Payload);
            Assert.Equal(2, records[1].Format);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void EnforceRetention_SegmentsOlderThanRetentionAge_AreDeleted()
    {
        var directory = TestDirectory.Create("journal");
        try
        {
            var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
            var options = Options.Create(new StorageOptions { DataDirectory = directory.Path, SegmentBytes = 4096, RetentionAge = TimeSpan.FromDays(7) });
            using var journal = new TelemetryJournal(options, time, NullLogger<TelemetryJournal>.Instance);
            journal.Append(JournalRecordKind.Traces, 1, new byte[5000]);
            journal.Append(JournalRecordKind.Traces, 1, new byte[5000]);
            Assert.Equal(2, Directory.GetFiles(directory.Path, "*.otlpseg").Length);

            time.Advance(TimeSpan.FromDays(8));
            journal.EnforceRetention();

            // The segment being written stays; the closed one, last written 8 days "ago", is gone.
            Assert.Single(Directory.GetFiles(directory.Path, "*.otlpseg"));
            Assert.Single(journal.ReadAll());
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void Append_DirectoryUnwritable_CountsFailureInsteadOfThrowing()
    {
        var directory = TestDirectory.Create("journal");
        try
        {
            var dataDirectory = Path.Combine(directory.Path, "data");
            var options = Options.Create(new StorageOptions { DataDirectory = dataDirectory });
            using var journal = new TelemetryJournal(options, TimeProvider.System, NullLogger<TelemetryJournal>.Instance);
            Directory.Delete(dataDirectory);
            File.WriteAllText(dataDirectory, "a file where the journal expects its directory");

            journal.Append(JournalRecordKind.Traces, 1, [1, 2, 3]);

            Assert.Equal(1, journal.WriteFailures);
        }
        finally
        {
            directory.Delete();
        }
    }
}
