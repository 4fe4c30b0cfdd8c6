using Microsoft.Extensions.Configuration;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Orchestration;

namespace Observability.Hosting.Tests;

public sealed class ModelValidationTests
{
    [Fact]
    public void Build_DependencyCycle_FailsNamingTheCycle()
    {
        var builder = TestApps.CreateBuilder();
        var a = builder.AddExecutable("a", "true", ".");
        var b = builder.AddExecutable("b", "true", ".").WaitFor(a);
        a.WaitFor(b);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal("Resources depend on each other in a cycle: a -> b -> a.", error.Message);
    }

    [Fact]
    public void AddResource_DuplicateName_Fails()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("tool", "true", ".");

        Assert.Throws<InvalidOperationException>(() => builder.AddExecutable("tool", "true", "."));
    }

    [Theory]
    [InlineData("Gateway")]
    [InlineData("1st")]
    [InlineData("my_service")]
    public void AddResource_InvalidName_Fails(string name) =>
        Assert.Throws<ArgumentException>(() => TestApps.CreateBuilder().AddExecutable(name, "true", "."));

    [Fact]
    public void AddProject_NotAHostedProject_FailsSayingHowToReferenceIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestApps.CreateBuilder().AddProject("x", "../Nowhere/Nowhere.csproj"));

        Assert.Contains("IsHostedProject=\"true\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidValue_NamesTheKey()
    {
        var builder = TestApps.CreateBuilder();
        builder.Configuration["AppHost:StopTimeout"] = "soon";

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal("Configuration key 'AppHost:StopTimeout' has an invalid value 'soon'.", error.Message);
    }

    [Fact]
    public void Create_StateLeftByADeadTestRun_IsDeleted()
    {
        // 999999999 is above the kernel's largest pid: that test run is certainly gone.
        var leftover = Path.Combine(Path.GetTempPath(), "apphost-tests", $"999999999-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(leftover, "postgres"));

        TestApps.CreateBuilder();

        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public void Load_MaxBackoffShorterThanBackoff_Fails()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AppHost:RestartBackoff"] = "00:00:10", ["AppHost:MaxRestartBackoff"] = "00:00:05" })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => HostingOptions.Load(configuration, "app"));

        Assert.StartsWith("Configuration key 'AppHost:MaxRestartBackoff'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Defaults_AreTheDocumentedOnes()
    {
        var options = HostingOptions.Load(new ConfigurationBuilder().Build(), "App");

        Assert.Equal(RuntimeMode.Auto, options.Runtime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RestartBackoff);
        Assert.Null(options.OtlpEndpoint);
        Assert.EndsWith("app", options.StateDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterStore_GeneratesOnceAndKeepsTheValuePrivate()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"parameters-{Guid.NewGuid():N}");
        try
        {
            var first = new ParameterStore(directory).GetOrGenerate("db-password", 22);
            var again = new ParameterStore(directory).GetOrGenerate("db-password", 22);

            Assert.Equal(22, first.Length);
            Assert.Equal(first, again);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "db-password")));
            Assert.NotEqual(first, new ParameterStore(directory).GetOrGenerate("other", 22));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
