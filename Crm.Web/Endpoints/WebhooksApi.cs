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
        // within 10 seconds. (Notifications themselves are taken once mailbox subscriptions exist.)
        webhooks.MapPost("/microsoft", (HttpRequest request) =>
        {
            var token = request.Query["validationToken"].FirstOrDefault();
            if (string.IsNullOrEmpty(token)) return Problem(StatusCodes.Status400BadRequest, "Microsoft Graph notifications are not taken here yet.");
            if (token.Length > 1024) return Problem(StatusCodes.Status400BadRequest, "The validation token is too long.");
            return Results.Text(token, "text/plain", Encoding.UTF8, StatusCodes.Status200OK);
        }).WithName("MicrosoftWebhook").WithSummary("Microsoft Graph subscription validation");
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

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
