using Crm.Web.Auth;
using Crm.Web.Components;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;

namespace Crm.Web;

public static class UiSetup
{
    public static WebApplicationBuilder AddCrmUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddHttpContextAccessor();
        // Sign-in cookies and antiforgery tokens survive restarts: keys live beside the data (configurable).
        var keys = builder.Configuration["DataProtection:KeysDirectory"]
                   ?? Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Database:DataDirectory"] ?? "data", "keys");
        builder.Services.AddDataProtection().SetApplicationName("crm").PersistKeysToFileSystem(new DirectoryInfo(keys));
        // Running the build output outside Development (tests, CI) still serves MudBlazor's and Blazor's assets.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>Errors: problem details for the API, pages for people. Then authentication, the actor, antiforgery.</summary>
    public static WebApplication UseCrmPipeline(this WebApplication app)
    {
        app.UseWhen(c => ApiProblems.IsApi(c.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !ApiProblems.IsApi(c.Request), pages =>
        {
            if (!app.Environment.IsDevelopment()) pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCurrentActor();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapCrmUi(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
