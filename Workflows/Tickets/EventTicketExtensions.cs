using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Observability.Workflows.Tickets;

/// <summary>Registers the <see cref="EventTicketSigner"/> with its options from <c>EventTickets</c>, validated at start.</summary>
public static class EventTicketExtensions
{
    public static IHostApplicationBuilder AddEventTickets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EventTicketOptions>().BindConfiguration(EventTicketOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventTicketOptions>, ValidateEventTicketOptions>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EventTicketSigner>();
        return builder;
    }
}
