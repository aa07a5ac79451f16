using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Salesforce;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Integrations.Calls;
using Crm.Infrastructure.Integrations.Google;
using Crm.Infrastructure.Integrations.HubSpot;
using Crm.Infrastructure.Integrations.Graph;
using Crm.Infrastructure.Integrations.Salesforce;
using Crm.Infrastructure.Integrations.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Infrastructure.Integrations;

public static class IntegrationsSetup
{
    /// <summary>
    /// Providers' apps and OAuth endpoints, the token service, the per-connection budgets and the provider pipeline
    /// (resilience, budget, token), the webhook inbox, the connection status service and the key ring that encrypts secrets.
    /// </summary>
    public static IServiceCollection AddCrmIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(HubSpotAppSettings.Section).Get<HubSpotAppSettings>() ?? new HubSpotAppSettings());
        services.AddSingleton(configuration.GetSection(GoogleAppSettings.Section).Get<GoogleAppSettings>() ?? new GoogleAppSettings());
        services.AddSingleton(configuration.GetSection(MicrosoftAppSettings.Section).Get<MicrosoftAppSettings>() ?? new MicrosoftAppSettings());
        services.AddSingleton(configuration.GetSection(Crm.Core.Integrations.CalDav.CalDavAppSettings.Section).Get<Crm.Core.Integrations.CalDav.CalDavAppSettings>() ?? new Crm.Core.Integrations.CalDav.CalDavAppSettings());
        services.AddSingleton(configuration.GetSection(SalesforceAppSettings.Section).Get<SalesforceAppSettings>() ?? new SalesforceAppSettings());
        var budgets = new ProviderBudgets();
        configuration.GetSection(ProviderBudgets.Section).Bind(budgets.Providers);
        services.AddSingleton(budgets);
        var retries = new ProviderRetryOptions();
        configuration.GetSection("Integrations:Retries").Bind(retries);

        services.AddSingleton<IWebhookInbox, WebhookInbox>();
        services.AddSingleton<IWebhookChannels, WebhookChannels>();
        // One key ring for cookies, antiforgery and stored connection secrets, in the database: every app instance on it
        // shares the keys (the web app adds their encryption at rest, see KeyRingProtection).
        services.AddDataProtection().SetApplicationName("crm").PersistKeysToDbContext<Persistence.CrmDbContext>();
        services.AddSingleton<ConnectionSecretCodec>();
        services.AddScoped<IConnectionSecrets, ConnectionSecretStore>();
        services.AddScoped<IOAuthStates, OAuthStates>();
        services.AddSingleton<IConnectionSchedule, Jobs.QuartzConnectionSchedule>();
        services.AddSingleton<IConnectionStatus, ConnectionStatusService>();
        services.AddSingleton<IAccessTokens, ConnectionTokens>();
        services.AddSingleton<IntegrationUsageMeter>();
        services.AddSingleton<ICallCounter>(sp => new CallCounter(sp.GetRequiredService<IntegrationUsageMeter>()));
        services.AddSingleton<ConnectionBudgets>();
        services.AddTransient<RateBudgetHandler>();
        services.AddTransient<ConnectionAuthHandler>();
        services.AddTransient<RequestSlots>();

        // OAuth endpoints: no retries (a refresh sent twice could present a rotated-out refresh token), one timeout.
        AddOAuth<HubSpotOAuthClient>(services, (sp, http) => http.BaseAddress = new Uri(sp.GetRequiredService<HubSpotAppSettings>().ApiBaseUrl.TrimEnd('/') + "/"));
        AddOAuth<GoogleOAuthClient>(services);
        AddOAuth<MicrosoftOAuthClient>(services);
        AddOAuth<SalesforceOAuthClient>(services);
        services.AddKeyedTransient<IOAuthProvider>(IntegrationProviders.HubSpot, (sp, _) => sp.GetRequiredService<HubSpotOAuthClient>());
        services.AddKeyedTransient<IOAuthProvider>(IntegrationProviders.Google, (sp, _) => sp.GetRequiredService<GoogleOAuthClient>());
        services.AddKeyedTransient<IOAuthProvider>(IntegrationProviders.Microsoft, (sp, _) => sp.GetRequiredService<MicrosoftOAuthClient>());
        services.AddKeyedTransient<IOAuthProvider>(IntegrationProviders.Salesforce, (sp, _) => sp.GetRequiredService<SalesforceOAuthClient>());

        // Provider APIs: through the connection's budget and token, with retries.
        services.AddHttpClient<HubSpotApi>((sp, http) => http.BaseAddress = new Uri(sp.GetRequiredService<HubSpotAppSettings>().ApiBaseUrl.TrimEnd('/') + "/"))
            .AddProviderPipeline(Copy(retries));
        services.AddHttpClient<GoogleProbe>().AddProviderPipeline(Copy(retries));
        services.AddHttpClient<Crm.Infrastructure.Email.Gmail.GmailApi>().AddProviderPipeline(Copy(retries));
        services.AddHttpClient<Crm.Core.Email.IMailSender, Crm.Infrastructure.Email.GmailSender>().AddProviderPipeline(Copy(retries));
        services.AddScoped<IConnectionSyncer, Crm.Infrastructure.Email.Gmail.GmailMessageSyncer>();
        services.AddTransient<Crm.Infrastructure.Email.Outlook.GraphMailClient.AmbientConnectionHandler>();
        services.AddHttpClient(Crm.Infrastructure.Email.Outlook.GraphMailClient.HttpClientName)
            .AddHttpMessageHandler<Crm.Infrastructure.Email.Outlook.GraphMailClient.AmbientConnectionHandler>()
            .AddProviderPipeline(Copy(retries));
        services.AddTransient<Crm.Infrastructure.Email.Outlook.GraphMailClient>();
        services.AddScoped<Crm.Infrastructure.Email.Gmail.GmailWatches>();
        services.AddScoped<Crm.Infrastructure.Email.Outlook.OutlookMailSubscriptions>();
        services.AddScoped<IConnectionSyncer, Crm.Infrastructure.Email.Outlook.OutlookMessageSyncer>();
        services.AddHttpClient<Crm.Infrastructure.Calendar.Google.GoogleCalendarApi>().AddProviderPipeline(Copy(retries));
        services.AddScoped<Crm.Infrastructure.Calendar.Google.GoogleCalendarWatches>();
        services.AddScoped<IConnectionSyncer, Crm.Infrastructure.Calendar.Google.GoogleCalendarSyncer>();
        services.AddKeyedTransient<Crm.Core.Calendar.ICalendarProvider>(IntegrationProviders.Google,
            (sp, _) => new Crm.Infrastructure.Calendar.Google.GoogleCalendarProvider(sp.GetRequiredService<Crm.Infrastructure.Calendar.Google.GoogleCalendarApi>()));
        services.AddScoped<IConnectionSyncer, Crm.Infrastructure.Calendar.Outlook.GraphCalendarSyncer>();
        services.AddKeyedTransient<Crm.Core.Calendar.ICalendarProvider>(IntegrationProviders.Microsoft,
            (sp, _) => new Crm.Infrastructure.Calendar.Outlook.GraphCalendarProvider(sp.GetRequiredService<Crm.Infrastructure.Email.Outlook.GraphMailClient>()));
        // CalDAV: Basic authentication with the app-specific password, redirects followed by hand (same host only).
        services.AddHttpClient<Crm.Infrastructure.Calendar.CalDav.CalDavClient>(http => http.Timeout = TimeSpan.FromSeconds(100))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false })
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.ShouldRetryAfterHeader = true;
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        services.AddScoped<Crm.Infrastructure.Calendar.CalDav.CalDavAccounts>();
        services.AddScoped<Crm.Core.Calendar.ICalDavConnector, Crm.Infrastructure.Calendar.CalDav.CalDavConnector>();
        services.AddScoped<IConnectionSyncer, Crm.Infrastructure.Calendar.CalDav.CalDavCalendarSyncer>();
        services.AddKeyedScoped<Crm.Core.Calendar.ICalendarProvider, Crm.Infrastructure.Calendar.CalDav.CalDavProvider>(IntegrationProviders.CalDav);
        services.AddHttpClient<MicrosoftProbe>().AddProviderPipeline(Copy(retries));
        services.AddHttpClient<SalesforceProbe>().AddProviderPipeline(Copy(retries));
        services.AddKeyedTransient<IConnectionProbe>(IntegrationProviders.HubSpot, (sp, _) => sp.GetRequiredService<HubSpotApi>());
        services.AddKeyedTransient<IConnectionProbe>(IntegrationProviders.Google, (sp, _) => sp.GetRequiredService<GoogleProbe>());
        services.AddKeyedTransient<IConnectionProbe>(IntegrationProviders.Microsoft, (sp, _) => sp.GetRequiredService<MicrosoftProbe>());
        services.AddKeyedTransient<IConnectionProbe>(IntegrationProviders.Salesforce, (sp, _) => sp.GetRequiredService<SalesforceProbe>());
        // HubSpot's objects behind the sync's port, and the syncers that use them.
        services.AddHttpClient(HubSpotObjects.ClientName, (sp, http) => http.BaseAddress = new Uri(sp.GetRequiredService<HubSpotAppSettings>().ApiBaseUrl.TrimEnd('/') + "/"))
            .AddProviderPipeline(Copy(retries));
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteObjects>("hubspot:contacts", (sp, _) => HubSpotObjects.Contacts(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubSpotObjects.ClientName), sp.GetRequiredService<HubSpotOwnerCache>(), sp.GetRequiredService<HubSpotKeyProperty>()));
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteObjects>("hubspot:companies", (sp, _) => HubSpotObjects.Companies(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubSpotObjects.ClientName), sp.GetRequiredService<HubSpotOwnerCache>(), sp.GetRequiredService<HubSpotKeyProperty>()));
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteDeletions, HubSpotDeletions>(IntegrationProviders.HubSpot);
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteAssociations>(IntegrationProviders.HubSpot, (sp, _) => new HubSpotAssociations(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubSpotObjects.ClientName)));
        services.AddSingleton<HubSpotOwnerCache>();
        services.AddSingleton<HubSpotKeyProperty>();
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteObjects>("hubspot:deals", (sp, _) => HubSpotObjects.Deals(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubSpotObjects.ClientName), sp.GetRequiredService<HubSpotOwnerCache>(), sp.GetRequiredService<HubSpotKeyProperty>()));
        // Companies first: a contact's company then finds its account already linked; deals last.
        services.AddScoped<IConnectionSyncer>(sp => new Crm.Core.Sync.RecordSyncer<Crm.Core.Accounts.Account>(IntegrationProviders.HubSpot, "companies",
            new Crm.Core.Sync.SyncedAccounts(), sp.GetRequiredService<Crm.Core.Common.ICrmDbFactory>(), sp, sp.GetRequiredService<IConnectionStatus>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<IConnectionSyncer>(sp => new Crm.Core.Sync.RecordSyncer<Crm.Core.Contacts.Contact>(IntegrationProviders.HubSpot, "contacts",
            new Crm.Core.Sync.SyncedContacts(), sp.GetRequiredService<Crm.Core.Common.ICrmDbFactory>(), sp, sp.GetRequiredService<IConnectionStatus>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<IConnectionSyncer>(sp => new Crm.Core.Sync.RecordSyncer<Crm.Core.Deals.Deal>(IntegrationProviders.HubSpot, "deals",
            new Crm.Core.Sync.SyncedDeals(), sp.GetRequiredService<Crm.Core.Common.ICrmDbFactory>(), sp, sp.GetRequiredService<IConnectionStatus>(), sp.GetRequiredService<TimeProvider>()));
        // Activities (HubSpot's engagements) after the records they are about, at most hourly outside the nightly comparison.
        AddEngagements<Crm.Core.Timeline.NoteActivity>(services, "notes");
        AddEngagements<Crm.Core.Timeline.TaskActivity>(services, "tasks");
        AddEngagements<Crm.Core.Timeline.CallActivity>(services, "calls");
        AddEngagements<Crm.Core.Timeline.MeetingActivity>(services, "meetings");
        AddEngagements<Crm.Core.Timeline.EmailActivity>(services, "emails");
        return services;
    }

    private static void AddEngagements<T>(IServiceCollection services, string type) where T : Crm.Core.Timeline.Activity, new()
    {
        services.AddKeyedTransient<Crm.Core.Sync.IRemoteObjects>($"hubspot:{type}", (sp, _) => HubSpotObjects.Engagements(type,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubSpotObjects.ClientName), sp.GetRequiredService<HubSpotOwnerCache>(), sp.GetRequiredService<HubSpotKeyProperty>()));
        services.AddScoped<IConnectionSyncer>(sp => new Crm.Core.Sync.RecordSyncer<T>(IntegrationProviders.HubSpot, type, new Crm.Core.Sync.SyncedActivities<T>(),
            sp.GetRequiredService<Crm.Core.Common.ICrmDbFactory>(), sp, sp.GetRequiredService<IConnectionStatus>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<HubSpotAppSettings>().ActivitiesEvery));
    }

    private static Action<ProviderRetryOptions> Copy(ProviderRetryOptions from) => to =>
    {
        (to.MaxRetries, to.FirstDelay, to.MaxDelay, to.PerAttempt, to.Total) = (from.MaxRetries, from.FirstDelay, from.MaxDelay, from.PerAttempt, from.Total);
    };

    /// <summary>
    /// HttpClient's own request logging is removed: HubSpot's token metadata call carries the access token in its path,
    /// and a logged address would put it in the log.
    /// </summary>
    private static void AddOAuth<T>(IServiceCollection services, Action<IServiceProvider, HttpClient>? configure = null) where T : class =>
        services.AddHttpClient<T>((sp, http) =>
        {
            http.Timeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(sp, http);
        }).RemoveAllLoggers();

    private sealed class CallCounter(IntegrationUsageMeter meter) : ICallCounter
    {
        public ValueTask<int> CallsTodayAsync(ConnectionRef connection, CancellationToken ct) => meter.CallsTodayAsync(connection, ct);
    }
}
