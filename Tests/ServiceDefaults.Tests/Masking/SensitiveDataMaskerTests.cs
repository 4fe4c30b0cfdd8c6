using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Tests.Masking;

public sealed class SensitiveDataMaskerTests
{
    private static readonly SensitiveDataMasker Masker = new(new SensitiveDataMaskingOptions());

    [Theory]
    [InlineData("Authorization: Bearer abc.DEF-123_xyz~+/=", "Authorization: Bearer ***")]
    [InlineData("bearer token123", "bearer ***")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==", "Basic ***")]
    [InlineData("Proxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l and more", "Proxy-Authorization: Basic *** and more")]
    public void MaskText_AuthorizationSchemes_KeepsSchemeMasksCredentials(string input, string expected) =>
        Assert.Equal(expected, Masker.MaskText(input));

    [Fact]
    public void MaskText_BasicFollowedByProse_Unchanged()
    {
        const string Text = "Basic information about the plan";

        Assert.Same(Text, Masker.MaskText(Text));
    }

    [Fact]
    public void MaskText_BearerFollowedByWord_WordMasked()
    {
        // A bearer token has no recognisable shape, so the word after "bearer" is masked even in prose.
        Assert.Equal("The bearer *** this note", Masker.MaskText("The bearer of this note"));
    }

    [Fact]
    public void MaskText_Jwt_Masked()
    {
        var masked = Masker.MaskText("token " + Secrets.Jwt + " issued");

        Assert.Equal("token *** issued", masked);
    }

    [Theory]
    [InlineData("mail jane.doe@example.com now", "mail ***@*** now")]
    [InlineData("a+b@sub.example.co.uk", "***@***")]
    public void MaskText_Email_Masked(string input, string expected) => Assert.Equal(expected, Masker.MaskText(input));

    [Theory]
    [InlineData(Secrets.ConnectionString, Secrets.MaskedConnectionString)]
    [InlineData("Server=x;User Id=u;pwd=hunter2;", "Server=x;User Id=u;pwd=***;")]
    [InlineData("Server=x;PASSWORD = \"a;b\";Pooling=true", "Server=x;PASSWORD = \"***\";Pooling=true")]
    [InlineData("https://api.example/cb?code=1&access_token=abc123&state=ok", "https://api.example/cb?code=1&access_token=***&state=ok")]
    [InlineData("--client-secret=xyz", "--client-secret=***")]
    [InlineData("{\"user\":\"bob\",\"password\":\"p@\\\"ss\",\"n\":1}", "{\"user\":\"bob\",\"password\":\"***\",\"n\":1}")]
    public void MaskText_SensitiveKeyValuePairs_ValueMasked(string input, string expected) =>
        Assert.Equal(expected, Masker.MaskText(input));

    [Theory]
    [InlineData("e4d775ee1d0d47369b43996866529082")]
    [InlineData("correlation e4d775ee1d0d47369b43996866529082 done")]
    [InlineData("run_43996866529082")]
    [InlineData("43996866529082abc")]
    public void MaskText_LuhnDigitsInsideLongerToken_Unchanged(string input) =>
        // The trailing 14 digits of this correlation ID pass the Luhn check; inside a token they are no card.
        Assert.Same(input, Masker.MaskText(input));

    [Theory]
    [InlineData(
        """[{"role":"user","content":"my password=hunter2 please keep it"},{"role":"assistant","content":"ok"}]""",
        """[{"role":"user","content":"my password=*** please keep it"},{"role":"assistant","content":"ok"}]""")]
    [InlineData(
        """{"content":"set password=\"hunter2\" now","n":1}""",
        """{"content":"set password=\"***\" now","n":1}""")]
    [InlineData(
        """{"arguments":"{\"user\":\"bob\",\"password\":\"hunter2\"}"}""",
        """{"arguments":"{\"user\":\"bob\",\"password\":\"***\"}"}""")]
    [InlineData(
        """{"content":"db: Server=x;Password=hunter2;Pooling=true","role":"tool"}""",
        """{"content":"db: Server=x;Password=***;Pooling=true","role":"tool"}""")]
    public void MaskText_SecretInsideJsonValue_MasksOnlyTheSecretAndKeepsJsonValid(string input, string expected)
    {
        var masked = Masker.MaskText(input);

        Assert.Equal(expected, masked);
        using var parsed = System.Text.Json.JsonDocument.Parse(masked);
    }

    [Theory]
    [InlineData("postgres://app:S3cr3t@db.internal:5432/orders", "postgres://app:***@db.internal:5432/orders")]
    [InlineData("redis://:only-password@cache:6379", "redis://:***@cache:6379")]
    public void MaskText_UrlCredentials_PasswordMasked(string input, string expected) =>
        Assert.Equal(expected, Masker.MaskText(input));

    [Theory]
    [InlineData("card 4111 1111 1111 1111 charged", "card *** charged")]
    [InlineData("4111-1111-1111-1111", "***")]
    [InlineData("pan=5500005555555559", "pan=***")]
    [InlineData("amex 378282246310005.", "amex ***.")]
    [InlineData("ref a1234 4111111111111111", "ref a1234 ***")]
    [InlineData("x12-4111111111111111", "x12-***")]
    [InlineData("e4d775ee1d0d47369b43996866529082 4111 1111 1111 1111", "e4d775ee1d0d47369b43996866529082 ***")]
    public void MaskText_LuhnValidCardNumber_Masked(string input, string expected) =>
        Assert.Equal(expected, Masker.MaskText(input));

    [Theory]
    [InlineData("order 4111111111111112 is not a card")]
    [InlineData("1234567890123")]
    [InlineData("12345678901234567890123")]
    [InlineData("sent at 1732233600003 ms")]
    [InlineData("id 8111111111111112")]
    public void MaskText_DigitsFailingLuhnOrTooLong_Unchanged(string input) => Assert.Same(input, Masker.MaskText(input));

    [Theory]
    [InlineData("GET")]
    [InlineData("/api/orders/{id}")]
    [InlineData("http://localhost:5000/api/orders/42?page=2")]
    [InlineData("127.0.0.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64)")]
    [InlineData("2026-11-22T00:15:25.1234567Z")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736")]
    public void MaskText_OrdinaryValue_ReturnsSameInstance(string input) => Assert.Same(input, Masker.MaskText(input));

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("PASSWD")]
    [InlineData("db.pwd")]
    [InlineData("user_password")]
    [InlineData("client_secret")]
    [InlineData("Client-Secret")]
    [InlineData("access_token")]
    [InlineData("refresh.token")]
    [InlineData("id-token")]
    [InlineData("http.request.header.authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("api_key")]
    [InlineData("api key")]
    [InlineData("ApiKey")]
    [InlineData("http.request.header.x-api-key")]
    [InlineData("http.request.header.cookie")]
    [InlineData("http.response.header.set-cookie")]
    [InlineData("db.connection_string")]
    [InlineData("Connection String")]
    [InlineData("private.key")]
    [InlineData("aws.credentials")]
    [InlineData("credential")]
    public void MaskAttribute_SensitiveKey_WholeValueMasked(string key)
    {
        Assert.True(Masker.IsSensitiveKey(key));
        Assert.Equal("***", Masker.MaskAttribute(key, "plain-value"));
        Assert.Equal("***", Masker.MaskAttribute(key, 12345));
    }

    [Theory]
    [InlineData("http.request.method")]
    [InlineData("gen_ai.usage.output_tokens")]
    [InlineData("tokenizer")]
    [InlineData("password.length")]
    [InlineData("user.id")]
    [InlineData("server.port")]
    public void MaskAttribute_OrdinaryKey_ValueUnchanged(string key)
    {
        object value = "plain-value";

        Assert.False(Masker.IsSensitiveKey(key));
        Assert.Same(value, Masker.MaskAttribute(key, value));
    }

    [Theory]
    [InlineData("?token=REDACTED&page=2")]
    [InlineData("Password=***;Host=db")]
    public void MaskText_AlreadyMaskedValues_SameInstance(string input) => Assert.Same(input, Masker.MaskText(input));

    [Fact]
    public void MaskAttribute_RedactedUnderSensitiveKey_Kept() => Assert.Equal("REDACTED", Masker.MaskAttribute("password", "REDACTED"));

    [Fact]
    public void MaskAttribute_NullUnderSensitiveKey_StaysNull() => Assert.Null(Masker.MaskAttribute("password", null));

    [Fact]
    public void MaskAttribute_StringArray_MasksOnlyChangedElementsInACopy()
    {
        var values = new[] { "ok", "mail " + Secrets.Email };

        var masked = Assert.IsType<string[]>(Masker.MaskAttribute("list", values));

        Assert.NotSame(values, masked);
        Assert.Equal(["ok", "mail ***@***"], masked);
        Assert.Equal("mail " + Secrets.Email, values[1]);
    }

    [Fact]
    public void MaskAttribute_ObjectWhoseTextHoldsASecret_MaskedText()
    {
        var uri = new Uri("https://app:" + Secrets.DbPassword + "@example.com/path");

        Assert.Equal("https://app:***@example.com/path", Masker.MaskAttribute("url.full", uri));
    }

    [Fact]
    public void MaskAttribute_NumbersAndOrdinaryObjects_SameInstance()
    {
        object number = 4111111111111111L;
        object uri = new Uri("https://example.com/path");

        Assert.Same(number, Masker.MaskAttribute("amount", number));
        Assert.Same(uri, Masker.MaskAttribute("url.full", uri));
    }

    [Fact]
    public void MaskAttribute_TypicalHttpServerSpan_AllocatesNothing()
    {
        KeyValuePair<string, object?>[] tags =
        [
            new("http.request.method", "GET"),
            new("url.scheme", "https"),
            new("url.path", "/api/orders/42"),
            new("url.query", "?page=2&size=20"),
            new("server.address", "orders.internal"),
            new("server.port", 8443),
            new("network.protocol.version", "1.1"),
            new("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"),
            new("client.address", "10.1.2.3"),
            new("http.route", "/api/orders/{id}"),
            new("http.response.status_code", 200),
            new("correlation.id", "0af7651916cd43dd8448eb211c80319c"),
        ];
        Assert.Equal(0, CountChanged(tags));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var changed = CountChanged(tags);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, changed);
        Assert.Equal(0, allocated);

        static int CountChanged(KeyValuePair<string, object?>[] tags)
        {
            var changed = 0;
            foreach (var (key, value) in tags)
            {
                changed += ReferenceEquals(value, Masker.MaskAttribute(key, value)) ? 0 : 1;
            }

            return changed;
        }
    }

    [Fact]
    public void MaskText_BuiltInKeysSwitchedOffWithExtraKey_OnlyExtraKeyMasked()
    {
        var options = new SensitiveDataMaskingOptions { UseBuiltInKeys = false };
        options.Keys.Add("national-id");
        var masker = new SensitiveDataMasker(options);

        Assert.True(masker.IsSensitiveKey("customer.national_id"));
        Assert.False(masker.IsSensitiveKey("password"));
        Assert.Equal("NationalId=***;password=kept", masker.MaskText("NationalId=123;password=kept"));
    }

    [Fact]
    public void MaskText_BuiltInPatternSwitchedOff_PatternNotApplied()
    {
        var masker = new SensitiveDataMasker(new SensitiveDataMaskingOptions
        {
            BuiltInPatterns = BuiltInValuePatterns.All & ~BuiltInValuePatterns.Email,
        });

        Assert.Equal("mail " + Secrets.Email + " Bearer ***", masker.MaskText("mail " + Secrets.Email + " Bearer abc"));
    }

    [Fact]
    public void MaskText_ExtraPattern_EveryMatchMasked()
    {
        var options = new SensitiveDataMaskingOptions { BuiltInPatterns = BuiltInValuePatterns.None };
        options.Patterns.Add(@"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b");
        var masker = new SensitiveDataMasker(options);

        Assert.Equal("ssn *** and ***", masker.MaskText("ssn 123-45-6789 and 987-65-4321"));
    }
}
