using System.Runtime.Versioning;

// The orchestrator manages Linux processes (process groups, /proc, setpriv): so do its tests.
[assembly: SupportedOSPlatform("linux")]
