using System.Security.Claims;
using Crm.Core.Common;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Crm.Web.Auth;

public static class AuthenticationSetup
{
    /// <summary>
    /// One default scheme that forwards to the API-key handler when a key is presented and to the session cookie
    /// otherwise; OpenID Connect when configured. Everything requires a signed-in workspace member unless marked
    /// anonymous, and the "Admin" policy guards admin pages and APIs.
    /// </summary>
    public static WebApplicationBuilder AddCrmAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var oidcSection = builder.Configuration.GetSection(OidcSettings.Section);
        services.Configure<OidcSettings>(oidcSection);
        var oidc = oidcSection.Get<OidcSettings>() ?? new OidcSettings();
        oidc.Validate();

        var authentication = services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = CrmClaims.SmartScheme;
                o.DefaultChallengeScheme = CrmClaims.SmartScheme;
            })
            .AddPolicyScheme(CrmClaims.SmartScheme, "Session cookie or API key", o =>
                o.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.PresentedKey(context.Request) is not null ? CrmClaims.ApiKeyScheme : CrmClaims.CookieScheme)
            .AddCookie(CrmClaims.CookieScheme, o =>
            {
                o.Cookie.Name = CrmClaims.SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/login";
                // Inside the app (menu and layout kept); the sign-in page's own refusals stay on /account/denied.
                o.AccessDeniedPath = "/access-denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,
                    OnRedirectToLogin = context => ApiProblems.IsApi(context.Request)
                        ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                            "Send an API key as 'Authorization: Bearer crm_…' or 'X-Api-Key: crm_…', or sign in.")
                        : RedirectAsync(context),
                    OnRedirectToAccessDenied = context => ApiProblems.IsApi(context.Request)
                        ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.")
                        : RedirectAsync(context),
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(CrmClaims.ApiKeyScheme, null);

        if (oidc.Enabled) authentication.AddOpenIdConnect(CrmClaims.OidcScheme, oidc.DisplayName, o => ConfigureOidc(o, oidc));

        var member = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(CrmClaims.WorkspaceId).Build();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(member)
            .SetFallbackPolicy(member)
            .AddPolicy(CrmClaims.AdminPolicy, p => p.Combine(member).RequireRole(nameof(Core.Users.UserRole.Admin)));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddScoped<ActorAccessor>();
        services.AddScoped<ICurrentActor, CurrentActor>();
        return builder;
    }

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Every request re-reads the member (see <see cref="SessionValidator"/>).</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var memberships = context.HttpContext.RequestServices.GetRequiredService<Memberships>();
        var state = await SessionValidator.CheckAsync(principal, memberships, context.HttpContext.RequestAborted);
        if (state is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CrmClaims.CookieScheme);
            return;
        }
        if (state.MustRenew)
        {
            context.ReplacePrincipal(CrmClaims.ForMember(state.Member, principal.FindFirstValue(CrmClaims.SignInMethod) ?? "password",
                state.SecurityStamp, principal.FindFirstValue(CrmClaims.SessionId) ?? CrmClaims.NewSessionId()));
            context.ShouldRenew = true;
        }
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcSettings settings)
    {
        o.SignInScheme = CrmClaims.CookieScheme;
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = settings.ClientSecret;
        o.ResponseType = "code";
        o.ResponseMode = "query";
        o.UsePkce = true;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        foreach (var scope in settings.Scopes) o.Scope.Add(scope);
        // Code flow with query responses comes back as a top-level GET, so Lax cookies are enough.
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events.OnTokenValidated = async context =>
        {
            var email = OidcEmail.Of(context.Principal, settings);
            if (email is null)
            {
                context.Response.Redirect("/account/denied?reason=unverified-email");
                context.HandleResponse();
                return;
            }
            var memberships = context.HttpContext.RequestServices.GetRequiredService<Memberships>();
            var member = await memberships.LandingAsync(email);
            if (member is null)
            {
                context.Response.Redirect("/account/denied?reason=unknown-account");
                context.HandleResponse();
                return;
            }
            await memberships.RecordSignInAsync(member);
            context.Principal = CrmClaims.ForMember(member, "sso", await memberships.SecurityStampAsync(member.Email), CrmClaims.NewSessionId());
        };
        o.Events.OnRemoteFailure = context =>
        {
            context.Response.Redirect("/account/denied?reason=sso-failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
