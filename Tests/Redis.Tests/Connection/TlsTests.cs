using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Observability.Redis.Configuration;
using Observability.TestInfrastructure.Processes;

namespace Observability.Redis.Tests.Connection;

/// <summary>A real redis-server that only speaks TLS, with a certificate made for the test.</summary>
[Trait("Category", "Integration")]
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestDirectory _directory = TestDirectory.Create("redis-tls");
    private X509Certificate2 _certificate = null!;
    private ServerProcess _server = null!;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(_directory.Path, "cert.pem");
        var keyFile = Path.Combine(_directory.Path, "key.pem");
        await File.WriteAllTextAsync(certFile, _certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        _port = LoopbackPort.GetFree();
        _server = ServerProcess.Start(
            "redis-server",
            [
                "--port", "0", "--tls-port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", certFile, "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", _directory.Path,
            ],
            _directory.Path);
        _directory.RecordServer(_server.Id);
        await _server.WaitUntilReadyAsync(_ => Task.FromResult(LoopbackPort.IsListening(_port)), TimeSpan.FromSeconds(20), "redis-server (TLS)");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _directory.Delete();
    }

    [Fact]
    public async Task Ssl_TrustedCertificate_RunsCommandsOverTls()
    {
        var ct = TestClients.Timeout();
        var thumbprint = _certificate.Thumbprint;
        await using var client = await TestClients.ConnectAsync($"127.0.0.1:{_port},ssl=true,sslHost=localhost", options =>
            options.CertificateValidation = (_, certificate, _, _) => certificate is not null && new X509Certificate2(certificate).Thumbprint == thumbprint);

        await client.SetAsync("tls-key", "secret over tls", cancellationToken: ct);
        Assert.Equal("secret over tls", await client.GetStringAsync("tls-key", ct));
        var big = new byte[2 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        await client.SetAsync("tls-big", big, cancellationToken: ct);
        Assert.Equal(big, await client.GetAsync("tls-big", ct));
    }

    [Fact]
    public async Task Ssl_UntrustedCertificate_FailsToConnect()
    {
        var options = RedisClientOptions.Parse($"rediss://127.0.0.1:{_port}?sslHost=localhost&asyncTimeout=1000");
        options.ServerStatsInterval = TimeSpan.Zero;
        await using var client = new RedisClient(options);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ConnectAsync(TestClients.Timeout()));
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }
}
