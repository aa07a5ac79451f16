using System.Text;
using Crm.Core.Integrations.Webhooks;

namespace Crm.Web.Endpoints;

/// <summary>
/// Where providers deliver events: anonymous (the provider's signature is the credential), bounded, answered at once
/// once the events are stored; the inbox job does the work.
/// </summary>
public static class WebhooksApi
{
    public static WebApplication MapWebhooks(this WebApplication app)
    {
        var webhooks = app.MapGroup("/webhooks").AllowAnonymous().DisableAntiforgery().WithTags("Webhooks");

        webhooks.MapPost("/hubspot", async (HttpRequest request, ReceiveHubSpotWebhookHandler handler, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync(request, ct);
            if (body is null) return Problem(StatusCodes.Status413PayloadTooLarge, $"A delivery is at most {WebhookLimits.MaxBodyBytes / 1024} KB.");
            var uri = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
            var receipt = await handler.HandleAsync(request.Method, uri, body, request.Headers["X-HubSpot-Request-Timestamp"].FirstOrDefault(),
                request.Headers["X-HubSpot-Signature-v3"].FirstOrDefault(), ct);
            return receipt.Outcome switch
            {
                WebhookOutcome.Accepted => Results.Ok(new { stored = receipt.Stored, duplicates = receipt.Duplicates }),
                WebhookOutcome.Unauthorized => Problem(StatusCodes.Status401Unauthorized, receipt.Problem!),
                WebhookOutcome.NotConfigured => Problem(StatusCodes.Status404NotFound, receipt.Problem!),
                _ => Problem(StatusCodes.Status400BadRequest, receipt.Problem!),
            };
        }).WithName("HubSpotWebhook").WithSummary("HubSpot webhook deliveries (signature v3 required)");

        // Microsoft Graph checks a notification URL before it creates a subscription: the token comes back as plain text
        // within 10 seconds. Notifications carry the subscription's clientState, checked against the one we gave it.
        webhooks.MapPost("/microsoft", async (HttpRequest request, ReceivePushNotificationsHandler handler, CancellationToken ct) =>
        {
            var token = request.Query["validationToken"].FirstOrDefault();
            if (token is not null)
            {
                if (token.Length is 0 or > 1024) return Problem(StatusCodes.Status400BadRequest, "The validation token is empty or too long.");
                return Results.Text(token, "text/plain", Encoding.UTF8, StatusCodes.Status200OK);
            }
            var body = await ReadBodyAsync(request, ct);
            if (body is null) return Problem(StatusCodes.Status413PayloadTooLarge, $"A delivery is at most {WebhookLimits.MaxBodyBytes / 1024} KB.");
            return Answer(await handler.GraphAsync(body, ct), StatusCodes.Status202Accepted);
        }).WithName("MicrosoftWebhook").WithSummary("Microsoft Graph change and lifecycle notifications (clientState checked) and the subscription validation handshake");

        // Google Calendar watch channels: the notification is its X-Goog-* headers; the token is the one we gave the channel.
        webhooks.MapPost("/google", async (HttpRequest request, ReceivePushNotificationsHandler handler, CancellationToken ct) =>
        {
            if (request.ContentLength > WebhookLimits.MaxBodyBytes) return Problem(StatusCodes.Status413PayloadTooLarge, "A channel notification has no body to speak of.");
            string? Header(string name) => request.Headers[name].FirstOrDefault();
            return Answer(await handler.GoogleAsync(new GoogleChannelHeaders(Header("X-Goog-Channel-ID"), Header("X-Goog-Channel-Token"), Header("X-Goog-Resource-ID"),
                Header("X-Goog-Resource-State"), Header("X-Goog-Message-Number"), Header("X-Goog-Resource-URI")), ct), StatusCodes.Status200OK);
        }).WithName("GoogleWebhook").WithSummary("Google watch channel notifications (channel token and resource id checked)");

        // Gmail's changes through a Cloud Pub/Sub push subscription whose endpoint carries our token; answered 2xx once
        // stored (Pub/Sub retries anything else).
        webhooks.MapPost("/google/gmail", async (HttpRequest request, ReceivePushNotificationsHandler handler, Crm.Core.Integrations.Google.GoogleAppSettings google,
            CancellationToken ct) =>
        {
            var body = await ReadBodyAsync(request, ct);
            if (body is null) return Problem(StatusCodes.Status413PayloadTooLarge, $"A delivery is at most {WebhookLimits.MaxBodyBytes / 1024} KB.");
            return Answer(await handler.GmailAsync(body, request.Query["token"].FirstOrDefault(), google.GmailPushToken, ct), StatusCodes.Status200OK);
        }).WithName("GmailPushWebhook").WithSummary("Gmail mailbox changes pushed by Cloud Pub/Sub (the push subscription's token required)");
        return app;
    }

    /// <summary>The body as text, or null when it is larger than a delivery may be (read no further than that).</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > WebhookLimits.MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > WebhookLimits.MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static IResult Answer(WebhookReceipt receipt, int accepted) => receipt.Outcome switch
    {
        WebhookOutcome.Accepted => Results.Json(new { stored = receipt.Stored, duplicates = receipt.Duplicates, refused = receipt.Problem }, statusCode: accepted),
        WebhookOutcome.Unauthorized => Problem(StatusCodes.Status401Unauthorized, receipt.Problem!),
        WebhookOutcome.NotConfigured => Problem(StatusCodes.Status404NotFound, receipt.Problem!),
        _ => Problem(StatusCodes.Status400BadRequest, receipt.Problem!),
    };

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
