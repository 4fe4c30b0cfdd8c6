using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Tests;

[Trait("Category", "Integration")]
public sealed class ServiceDefaultsHostTests
{
    [Fact]
    public async Task AddServiceDefaults_WebApplication_StartsAndServesOverLoopback()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/hello", () => "hello");
        await app.StartAsync(ct);

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await client.GetAsync("/hello", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync(ct));
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task AddServiceDefaults_GenericHost_StartsAndStops()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        using var host = builder.Build();

        await host.StartAsync(ct);
        await host.StopAsync(ct);
    }
}
