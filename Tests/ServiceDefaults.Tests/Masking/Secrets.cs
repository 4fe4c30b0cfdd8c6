namespace Observability.ServiceDefaults.Tests.Masking;

/// <summary>Secrets planted by the masking tests, and what they must become.</summary>
internal static class Secrets
{
    public const string DbPassword = "S3cr3t-Pa55w0rd";
    public const string ConnectionString = "Host=db;Username=app;Password=" + DbPassword + ";Database=orders";
    public const string MaskedConnectionString = "Host=db;Username=app;Password=***;Database=orders";

    public const string BearerToken = "mF_9.B5f-4.1JqM";
    public const string AuthorizationHeader = "Bearer " + BearerToken;

    public const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    public const string Email = "jane.doe@example.com";

    // A Luhn-valid test card number (Visa test range), grouped the way people type it.
    public const string CardDigits = "4111111111111111";
    public const string Card = "4111 1111 1111 1111";

    public const string ApiKey = "ak-live-7f3a9c2e1b";
}
