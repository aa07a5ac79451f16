using Crm.Sandbox.HubSpot;
using Crm.Sandbox.Oidc;

namespace Crm.Sandbox;

/// <summary>
/// Local stand-ins for the external services the CRM talks to, speaking their public wire formats so the CRM's
/// real clients and middleware run against them in tests and demos. Today: an OpenID Connect provider at /oidc and
/// HubSpot's OAuth 2.0 server (/oauth/…).
/// </summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Its settings (clients, people) sit beside the program: found from whatever folder it is started in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<OidcSandboxOptions>().BindConfiguration(OidcSandboxOptions.Section);
        builder.Services.AddSingleton<OidcState>();
        builder.Services.AddOptions<HubSpotSandboxOptions>().BindConfiguration(HubSpotSandboxOptions.Section);
        builder.Services.AddSingleton<HubSpotOAuth.State>();
        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", () => Results.Text("CRM sandbox: OpenID Connect provider at /oidc/.well-known/openid-configuration; HubSpot OAuth at /oauth/authorize and /oauth/v1/token"));
        app.MapOidcProvider();
        app.MapHubSpotOAuth();
        return app;
    }
}
