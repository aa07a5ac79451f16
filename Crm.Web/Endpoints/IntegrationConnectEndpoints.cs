using System.Net;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;

namespace Crm.Web.Endpoints;

/// <summary>
/// The browser's side of connecting an account: a link that sends the person to the provider's consent page, and the
/// callback the provider sends them back to (one per provider, as registered with it). Admins connect the workspace's
/// CRM syncs; everyone connects their own mailbox and calendar. Failures are a page saying what happened and what to
/// do, never a 500.
/// </summary>
public static class IntegrationConnectEndpoints
{
    public const string HubSpotCallbackPath = "/integrations/hubspot/callback";

    private static readonly string[] OAuthProviders = [IntegrationProviders.HubSpot, IntegrationProviders.Salesforce, IntegrationProviders.Google, IntegrationProviders.Microsoft];

    public static WebApplication MapIntegrationConnect(this WebApplication app)
    {
        var connect = app.MapGroup("/integrations").RequireAuthorization().ExcludeFromDescription();

        connect.MapGet("/{provider}/connect", async (string provider, string? type, string? returnUrl, HttpRequest request, IServiceProvider services,
            IOAuthStates states, ICurrentActor actors, CancellationToken ct) =>
        {
            var kind = Kind(provider, type);
            if (kind is null) return Page("Unknown connection", "There is no such connection to make here.", HttpStatusCode.NotFound);
            var name = kind.Value.DefaultName;
            var actor = await actors.GetAsync(ct);
            if (!IntegrationProviders.IsPersonal(kind.Value.Type) && !actor.IsAdmin)
                return Page($"{name} was not connected", $"Only an admin can connect the workspace's {name} sync.", HttpStatusCode.Forbidden);
            var oauth = services.GetRequiredKeyedService<IOAuthProvider>(kind.Value.Provider);
            if (!oauth.IsConfigured)
                return Page($"{name} is not set up", $"The {name} app's client id and secret are not configured on this server (Integrations:{Titled(provider)}).", HttpStatusCode.NotFound);
            var start = await states.BeginAsync(kind.Value.Key, returnUrl ?? "/", ct);
            return Results.Redirect(oauth.AuthorizeUrl(start, CallbackUrl(request, provider), kind.Value.Type));
        });

        connect.MapGet("/{provider}/callback", async (string provider, HttpRequest request, CompleteConnectionHandler handler, string? code, string? state,
            string? error, string? error_description, CancellationToken ct) =>
        {
            if (!OAuthProviders.Contains(provider)) return Page("Unknown connection", "There is no such connection to make here.", HttpStatusCode.NotFound);
            var name = Titled(provider);
            if (!string.IsNullOrEmpty(error))
                return Page($"{name} was not connected", error == "access_denied"
                    ? $"Access was not granted on {name}'s page. Connect again when you are ready."
                    : $"{name} answered: {Shorten(error_description ?? error)}.", HttpStatusCode.BadRequest);
            if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
                return Page($"{name} was not connected", $"This address lacks {name}'s answer (code and state). Start connecting again.", HttpStatusCode.BadRequest);
            try
            {
                var (_, returnPath) = await handler.HandleAsync(provider, code, state, CallbackUrl(request, provider), ct);
                return Results.Redirect(returnPath);
            }
            catch (OAuthStateRefusedException refused)
            {
                return Page($"{name} was not connected", refused.Message, HttpStatusCode.BadRequest);
            }
            catch (ForbiddenException forbidden)
            {
                return Page($"{name} was not connected", forbidden.Message, HttpStatusCode.Forbidden);
            }
            catch (OAuthProviderException failed)
            {
                return Page($"{name} was not connected", failed switch
                {
                    { StatusCode: 0 } => $"{name} could not be reached. Try again in a moment.",
                    { Error: "no_refresh_token" } => failed.Message,
                    { Error: "BAD_AUTH_CODE" or "BAD_REDIRECT_URI" or "invalid_grant" } => $"{name} did not accept the answer it sent (it may have expired). Start connecting again.",
                    _ => $"{name} refused the connection. Check the app's client id and secret, then start again.",
                }, HttpStatusCode.BadGateway);
            }
        });
        return app;
    }

    private static ConnectionKind? Kind(string provider, string? type) =>
        OAuthProviders.Contains(provider) && ConnectionKind.TypeOfSlug(type) is { } t && new ConnectionKind(provider, t) is { IsValid: true } kind ? kind : null;

    private static string Titled(string provider) => provider switch
    {
        IntegrationProviders.HubSpot => "HubSpot",
        IntegrationProviders.Salesforce => "Salesforce",
        IntegrationProviders.Google => "Google",
        IntegrationProviders.Microsoft => "Microsoft",
        _ => provider,
    };

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static string CallbackUrl(HttpRequest request, string provider) => $"{request.Scheme}://{request.Host}{request.PathBase}/integrations/{provider}/callback";

    private static IResult Page(string title, string text, HttpStatusCode status) =>
        Results.Content($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto"><h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(text)}</p><p><a href="/">Back to the CRM</a></p></body></html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, (int)status);
}
