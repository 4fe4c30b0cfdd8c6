using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Testing;

namespace Observability.Hosting;

/// <summary>Composes the application: resources, their references and waits (as Aspire's builder of the same name).</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly HostApplicationBuilder _host;
    private readonly List<Resource> _resources = [];
    private readonly TestingSession? _session;
    private HostingOptions? _options;
    private ParameterStore? _parameterStore;

    internal DistributedApplicationBuilder(string[] args, Assembly? appAssembly, TestingSession? session, IReadOnlyDictionary<string, string?>? overrides)
    {
        _session = session;
        _host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ApplicationName = appAssembly?.GetName().Name,
            // The app host is a development tool: Development unless the environment says otherwise.
            EnvironmentName = System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development",
        });
        if (overrides is not null)
        {
            _host.Configuration.AddInMemoryCollection(overrides);
        }

        _host.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        Projects = appAssembly is null ? ProjectCatalog.From(typeof(DistributedApplicationBuilder).Assembly) : ProjectCatalog.From(appAssembly);
    }

    /// <summary>The app host's configuration (command line, environment, appsettings.json); <c>AppHost:*</c> tunes the orchestrator.</summary>
    public IConfigurationManager Configuration => _host.Configuration;

    /// <summary>The environment given to every project (DOTNET_ENVIRONMENT; default Development).</summary>
    public IHostEnvironment Environment => _host.Environment;

    /// <summary>The resources added so far.</summary>
    public IReadOnlyList<Resource> Resources => _resources;

    internal ProjectCatalog Projects { get; }

    internal HostingOptions Options => _options ??= HostingOptions.Load(Configuration, Environment.ApplicationName);

    internal ParameterStore ParameterStore => _parameterStore ??= new ParameterStore(Path.Combine(Options.StateDirectory, "parameters"));

    /// <summary>Adds a resource; names are unique.</summary>
    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>A builder for a resource already in the model (to change it, e.g. in a test, before building).</summary>
    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        return _resources.Contains(resource)
            ? new ResourceBuilder<T>(resource, this)
            : throw new InvalidOperationException($"Resource '{resource.Name}' does not belong to this application.");
    }

    /// <summary>Builds the application: validates the model and gives every endpoint its port. Nothing starts yet.</summary>
    public DistributedApplication Build() => _session is { } session ? session.HandOff(this) : BuildCore();

    /// <summary>Builds the application; in a test, resumes the app host's entry point (see <see cref="DistributedApplicationTestingBuilder"/>).</summary>
    public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default) =>
        _session is { } session ? session.RequestBuildAsync(cancellationToken) : Task.FromResult(BuildCore());

    internal DistributedApplication BuildCore()
    {
        var options = Options;
        var orchestrated = _resources.Where(r => r.IsOrchestrated).ToList();
        foreach (var dependency in _resources.SelectMany(r => r.Dependencies).Where(d => !_resources.Contains(d)))
        {
            throw new InvalidOperationException($"Resource '{dependency.Name}' is referenced but belongs to another application.");
        }

        DependencyDepth.Of(orchestrated);
        PortAllocator.Allocate(orchestrated, options.RandomizePorts);

        _host.Services.AddSingleton(options);
        _host.Services.AddSingleton(TimeProvider.System);
        _host.Services.AddSingleton<ResourceNotificationService>();
        _host.Services.AddSingleton(sp => new HostingContext(
            options, sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<TimeProvider>(), _resources.OfType<DashboardResource>().SingleOrDefault()));
        _host.Services.AddSingleton(sp => new ApplicationOrchestrator(
            _resources, sp.GetRequiredService<HostingContext>(), sp.GetRequiredService<ResourceNotificationService>(), sp.GetRequiredService<ILoggerFactory>()));
        _host.Services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        _host.Services.AddSingleton<ResourceCommandInterpreter>();
        if (options.ConsoleCommands)
        {
            _host.Services.AddHostedService<ConsoleCommandService>();
        }
        _host.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMinutes(2));
        return new DistributedApplication(_host.Build(), [.. _resources], options, _session);
    }
}
