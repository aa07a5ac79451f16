using System.Net;
using Crm.Core.Common;
using Crm.Core.Integrations.HubSpot;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Webhooks;
using Crm.Web.Auth;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Web.Endpoints;

/// <summary>
/// The browser's side of connecting an account: a link that sends the admin to the provider's consent page, and the
/// callback the provider sends them back to. Failures are a page saying what happened and what to do, never a 500.
/// </summary>
public static class IntegrationConnectEndpoints
{
    public const string HubSpotCallbackPath = "/integrations/hubspot/callback";

    public static WebApplication MapIntegrationConnect(this WebApplication app)
    {
        var connect = app.MapGroup("/integrations").RequireAuthorization(CrmClaims.AdminPolicy).ExcludeFromDescription();

        connect.MapGet("/hubspot/connect", async (HttpRequest request, HubSpotAppSettings settings, IOAuthStates states, string? returnUrl, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(settings.ClientId) || string.IsNullOrEmpty(settings.ClientSecret))
                return Page("HubSpot is not set up", "The HubSpot app's client id and secret are not configured (Integrations:HubSpot).", HttpStatusCode.NotFound);
            var start = await states.BeginAsync("hubspot", returnUrl ?? "/", ct);
            return Results.Redirect(QueryHelpers.AddQueryString(settings.AuthorizeUrl, new Dictionary<string, string?>
            {
                ["client_id"] = settings.ClientId, ["redirect_uri"] = CallbackUrl(request), ["scope"] = settings.Scopes, ["state"] = start.State,
                ["code_challenge"] = start.CodeChallenge, ["code_challenge_method"] = start.CodeChallengeMethod,
            }));
        });

        connect.MapGet("/hubspot/callback", async (HttpRequest request, CompleteHubSpotConnectionHandler handler, string? code, string? state, string? error,
            string? error_description, CancellationToken ct) =>
        {
            if (!string.IsNullOrEmpty(error))
                return Page("HubSpot was not connected", error == "access_denied" ? "Access was not granted on HubSpot's page. Connect again when you are ready." : $"HubSpot answered: {error_description ?? error}.", HttpStatusCode.BadRequest);
            if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
                return Page("HubSpot was not connected", "This address lacks HubSpot's answer (code and state). Start connecting again.", HttpStatusCode.BadRequest);
            try
            {
                var (_, returnPath) = await handler.HandleAsync(code, state, CallbackUrl(request), ct);
                return Results.Redirect(returnPath);
            }
            catch (OAuthStateRefusedException refused)
            {
                return Page("HubSpot was not connected", refused.Message, HttpStatusCode.BadRequest);
            }
            catch (HubSpotAuthException failed)
            {
                return Page("HubSpot was not connected", failed.Error is "BAD_AUTH_CODE" or "BAD_REDIRECT_URI"
                    ? "HubSpot did not accept the answer it sent (it may have expired). Start connecting again."
                    : "HubSpot refused the connection. Check the app's client id and secret, then start again.", HttpStatusCode.BadGateway);
            }
            catch (HttpRequestException)
            {
                return Page("HubSpot was not connected", "HubSpot could not be reached. Try again in a moment.", HttpStatusCode.BadGateway);
            }
        });
        return app;
    }

    private static string CallbackUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{HubSpotCallbackPath}";

    private static IResult Page(string title, string text, HttpStatusCode status) =>
        Results.Content($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto"><h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(text)}</p><p><a href="/">Back to the CRM</a></p></body></html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, (int)status);
}
