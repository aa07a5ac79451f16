using System.Security.Claims;
using Crm.Infrastructure.Email;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

/// <summary>
/// The tracking pixel (<c>/t/o/{token}.gif</c>) and tracked links (<c>/t/c/{token}</c>) of emails sent from the CRM.
/// Anonymous (recipients follow them); a link goes only where its signed token says; a changed or foreign token gets a
/// 400 page, never a redirect.
/// </summary>
public static class EmailTrackingEndpoints
{
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static WebApplication MapEmailTracking(this WebApplication app)
    {
        var tracking = app.MapGroup("/t").AllowAnonymous().ExcludeFromDescription();
        tracking.MapGet("/o/{token}", async (string token, HttpContext context, EmailTracking links, RecordTrackingHit record, CancellationToken ct) =>
        {
            context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, private";
            var hit = token.EndsWith(".gif", StringComparison.Ordinal) ? links.Read(token[..^4], 'o') : null;
            // The image is the same either way: a mail client shows nothing broken, a prober learns nothing.
            if (hit is not null) await record.OpenAsync(hit, RequestOf(context), ct);
            return Results.File(Gif, "image/gif");
        });
        tracking.MapGet("/c/{token}", async (string token, HttpContext context, EmailTracking links, RecordTrackingHit record, CancellationToken ct) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (links.Read(token, 'c') is not { } hit)
                return Results.Content("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not valid</title></head><body>" +
                                       "<h1>This link is not valid</h1><p>It was changed or cut short. Ask the sender for the link again.</p></body></html>",
                    "text/html", statusCode: StatusCodes.Status400BadRequest);
            await record.ClickAsync(hit, RequestOf(context), ct);
            return Results.Redirect(hit.Url!, permanent: false);
        });
        return app;
    }

    private static TrackingRequest RequestOf(HttpContext context) => new(
        context.Request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress,
        long.TryParse(context.User.FindFirstValue(CrmClaims.UserId), out var user) ? user : null,
        long.TryParse(context.User.FindFirstValue(CrmClaims.WorkspaceId), out var workspace) ? workspace : null);
}
