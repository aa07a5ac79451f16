using Crm.Sandbox.Oidc;

namespace Crm.Sandbox;

/// <summary>
/// Local stand-ins for the external services the CRM talks to, speaking their public wire formats so the CRM's
/// real clients and middleware run against them in tests and demos. Today: an OpenID Connect provider at /oidc.
/// </summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOptions<OidcSandboxOptions>().BindConfiguration(OidcSandboxOptions.Section);
        builder.Services.AddSingleton<OidcState>();
        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", () => Results.Text("CRM sandbox: OpenID Connect provider at /oidc/.well-known/openid-configuration"));
        app.MapOidcProvider();
        return app;
    }
}
