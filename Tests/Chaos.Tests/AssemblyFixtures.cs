using Observability.EndToEnd.Tests.Harness;

[assembly: AssemblyFixture(typeof(PlatformFixture))]
