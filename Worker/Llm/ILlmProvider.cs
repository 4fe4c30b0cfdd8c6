namespace Observability.Worker.Llm;

/// <summary>One provider behind <see cref="ILlmClient"/>; <see cref="InstrumentedLlmClient"/> adds telemetry and cost.</summary>
internal interface ILlmProvider
{
    /// <summary>The <c>gen_ai.provider.name</c> of this provider.</summary>
    string Name { get; }

    /// <summary>The host the provider runs on (<c>server.address</c>), <see langword="null"/> in process.</summary>
    string? ServerAddress { get; }

    /// <summary>The port the provider listens on (<c>server.port</c>), <see langword="null"/> in process.</summary>
    int? ServerPort { get; }

    /// <summary>Completes <paramref name="request"/> against <paramref name="model"/>.</summary>
    Task<LlmResponse> CompleteAsync(LlmRequest request, string model, CancellationToken cancellationToken);
}
