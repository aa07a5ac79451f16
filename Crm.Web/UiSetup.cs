using Crm.Web.Auth;
using Crm.Web.Components;
using Crm.Web.Endpoints;
using Crm.Web.TimeZones;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;

namespace Crm.Web;

public static class UiSetup
{
    public static WebApplicationBuilder AddCrmUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Messages appear bottom left, where no page keeps its buttons (a record's Edit and Delete are top right, the
        // import's Test and Start bottom right), so a message never covers the next thing to click.
        builder.Services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddUserTimeZones();
        // Sign-in cookies, antiforgery tokens and stored connection secrets survive restarts and are readable by every
        // instance: the key ring is in the database (AddCrmInfrastructure), encrypted at rest when configured.
        builder.Services.AddDataProtection().ProtectKeys(builder.Configuration);
        // Password guessing is slowed per client as well as per account (Identity locks an account after 5 failures):
        // one address may try to sign in this many times a minute, whichever accounts it tries.
        var attempts = builder.Configuration.GetValue("Authentication:SignInAttemptsPerMinute", 30);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = attempts, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your network. Wait a minute, then try again.", ct);
            };
        });
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
        app.UseRateLimiter();
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCurrentActor();
        app.UseUserTimeZones();
        app.UseAntiforgery();
        // After sign-in and role checks, as binding comes after them: a stranger's bad value is still a 401.
        app.UseWhen(c => ApiProblems.IsApi(c.Request), api => api.UseMiddleware<NullableValueCheck>());
        return app;
    }

    public static WebApplication MapCrmUi(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapWorkspaceEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
