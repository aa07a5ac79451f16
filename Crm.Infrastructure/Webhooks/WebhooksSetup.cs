using Crm.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Infrastructure.Webhooks;

public static class WebhooksSetup
{
    public const string Section = "Webhooks";

    /// <summary>Outbound webhooks: the SSRF-guarded client, the secret protector, the sender and its loop.</summary>
    public static IServiceCollection AddCrmWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<WebhookSettings>() ?? new WebhookSettings();
        services.AddSingleton(settings);
        services.AddSingleton<IWebhookDns, SystemWebhookDns>();
        services.AddSingleton<IWebhookTargetPolicy, WebhookTargetPolicy>();
        services.AddSingleton<IWebhookSecretProtector, WebhookSecretProtector>();
        // No retry handler here: the sender retries on its own schedule and logs every attempt.
        services.AddHttpClient(WebhookSender.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookConnections.Handler(sp.GetRequiredService<WebhookSettings>(), sp.GetRequiredService<IWebhookDns>()));
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDeliveryService>();
        return services;
    }
}
