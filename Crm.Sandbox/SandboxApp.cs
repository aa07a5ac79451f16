using Crm.Sandbox.Faults;
using Crm.Sandbox.Google;
using Crm.Sandbox.Graph;
using Crm.Sandbox.HubSpot;
using Crm.Sandbox.OAuth;
using Crm.Sandbox.Oidc;
using Crm.Sandbox.Salesforce;

namespace Crm.Sandbox;

/// <summary>
/// Local stand-ins for the external services the CRM talks to, speaking their public wire formats so the CRM's
/// real clients and middleware run against them in tests and demos: an OpenID Connect provider at /oidc, the OAuth
/// servers of HubSpot, Google, Microsoft and Salesforce with their "who am I" calls, HubSpot's API limits, and fault
/// injection any test or benchmark turns on over HTTP.
/// </summary>
public static class SandboxApp
{
    private const string Index = """
        CRM sandbox
        OpenID Connect: /oidc/.well-known/openid-configuration
        HubSpot: /oauth/authorize, /oauth/v1/token, /oauth/v1/access-tokens/{token}, /account-info/v3/details,
          /crm/v3/objects/{contacts|companies|deals} (list, get, create, update, archive, batch, search), /crm/v3/properties/{type},
          /crm/v3/owners, /crm/v3/pipelines/deals; POST /_sandbox/hubspot/seed
        Google: /google/o/oauth2/v2/auth, /google/token, /google/revoke, /google/v1/userinfo, /google/gmail/v1, /google/calendar/v3 (calendarList, events, watch)
        Microsoft: /microsoft/{tenant}/oauth2/v2.0/authorize and token, /microsoft/graph/v1.0/me (mail; calendars, calendarView/delta, events)
        Salesforce: /services/oauth2/authorize, token, revoke, userinfo
        Faults: POST and DELETE /_sandbox/faults; POST /_sandbox/{provider}/expire-access-tokens and revoke-refresh-tokens; GET /_sandbox/{provider}/stats
        """;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Its settings (clients, people) sit beside the program: found from whatever folder it is started in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<OidcSandboxOptions>().BindConfiguration(OidcSandboxOptions.Section);
        builder.Services.AddSingleton<OidcState>();
        builder.Services.AddOptions<HubSpotSandboxOptions>().BindConfiguration(HubSpotSandboxOptions.Section);
        builder.Services.AddOptions<GoogleSandboxOptions>().BindConfiguration(GoogleSandboxOptions.Section);
        builder.Services.AddOptions<MicrosoftSandboxOptions>().BindConfiguration(MicrosoftSandboxOptions.Section);
        builder.Services.AddOptions<SalesforceSandboxOptions>().BindConfiguration(SalesforceSandboxOptions.Section);
        builder.Services.AddSingleton<SandboxTokens>();
        builder.Services.AddSingleton<SandboxFaults>();
        builder.Services.AddSingleton<Crm.Sandbox.Google.GmailMailboxes>();
        builder.Services.AddSingleton<Crm.Sandbox.Google.GmailPush>();
        builder.Services.AddSingleton<Crm.Sandbox.Google.GoogleCalendarStore>();
        builder.Services.AddSingleton<Crm.Sandbox.Google.GoogleCalendarChannels>();
        builder.Services.AddSingleton<Crm.Sandbox.Google.CalendarQuota>();
        builder.Services.AddSingleton<Crm.Sandbox.Graph.GraphMailboxes>();
        builder.Services.AddSingleton<Crm.Sandbox.Graph.GraphSubscriptions>();
        builder.Services.AddSingleton<Crm.Sandbox.Graph.GraphCalendarStore>();
        builder.Services.AddSingleton<HubSpotApiLimits>();
        builder.Services.AddSingleton<HubSpotWebhooks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubSpotWebhooks>());
        builder.Services.AddSingleton(sp => new HubSpotCrmStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<HubSpotWebhooks>()));
        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        var app = builder.Build();
        var faults = app.Services.GetRequiredService<SandboxFaults>();
        app.UseRouting();
        app.Use((context, next) => faults.InvokeAsync(context, () => next(context)));
        app.MapGet("/", () => Results.Text(Index));
        app.MapOidcProvider();
        app.MapHubSpotOAuth();
        app.MapHubSpotApi();
        app.MapHubSpotCrm();
        app.MapHubSpotAssociations();
        app.MapHubSpotUser();
        app.MapGoogleSandbox();
        app.MapGmailSandbox();
        app.Services.GetRequiredService<Crm.Sandbox.Google.GmailPush>().Map(app);
        app.MapGoogleCalendarSandbox();
        app.MapMicrosoftSandbox();
        app.MapGraphMailSandbox();
        app.MapGraphCalendarSandbox();
        app.Services.GetRequiredService<Crm.Sandbox.Graph.GraphSubscriptions>().Map(app);
        app.MapSalesforceSandbox();
        SandboxFaults.MapSandboxControl(app);
        return app;
    }
}
