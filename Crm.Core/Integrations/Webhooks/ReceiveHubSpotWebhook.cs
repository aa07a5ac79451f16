using System.Text.Json;

namespace Crm.Core.Integrations.Webhooks;

/// <summary>
/// The HubSpot app's settings ("Integrations:HubSpot"): its client id and secret (the secret also signs webhook
/// deliveries), where HubSpot's install page and API are (the sandbox's in development), and the scopes it asks for.
/// </summary>
public sealed class HubSpotAppSettings
{
    public const string Section = "Integrations:HubSpot";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string AuthorizeUrl { get; set; } = "https://app.hubspot.com/oauth/authorize";
    public string ApiBaseUrl { get; set; } = "https://api.hubapi.com";
    /// <summary>The seed's scopes for two-way sync of contacts, companies, deals and owners.</summary>
    public string Scopes { get; set; } = "oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read crm.objects.companies.write crm.objects.deals.read crm.objects.deals.write crm.objects.owners.read crm.schemas.contacts.read crm.schemas.companies.read crm.schemas.deals.read";
    /// <summary>The public URL HubSpot calls (as registered in the app), when a proxy makes the app see another one.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>How often activities (HubSpot's engagements) sync outside the nightly comparison: hourly, as the seed's schedule says.</summary>
    public TimeSpan ActivitiesEvery { get; set; } = TimeSpan.FromHours(1);
}

public enum WebhookOutcome
{
    Accepted,
    /// <summary>Not HubSpot's, altered, or replayed outside the signature's time window.</summary>
    Unauthorized,
    Malformed,
    /// <summary>Webhooks are not set up here (no client secret configured).</summary>
    NotConfigured,
}

/// <param name="Stored">Events stored now.</param>
/// <param name="Duplicates">Events of the delivery that were stored before (a redelivery, or the same event twice).</param>
public sealed record WebhookReceipt(WebhookOutcome Outcome, int Stored = 0, int Duplicates = 0, string? Problem = null);

/// <summary>
/// A HubSpot webhook delivery: its v3 signature and time checked, each event (a JSON array of at most 100) stored in the
/// inbox once, before the delivery is answered; the inbox job does the work later. Nothing of a refused delivery is kept.
/// </summary>
public sealed class ReceiveHubSpotWebhookHandler(HubSpotAppSettings settings, IWebhookInbox inbox, TimeProvider time)
{
    public const string Provider = "hubspot";

    public async Task<WebhookReceipt> HandleAsync(string method, string uri, string body, string? timestamp, string? signature, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(settings.ClientSecret)) return new WebhookReceipt(WebhookOutcome.NotConfigured, Problem: "HubSpot webhooks are not configured here.");
        var now = time.GetUtcNow();
        if (HubSpotSignature.CheckV3(settings.ClientSecret, method, settings.WebhookUrl ?? uri, body, timestamp, signature, now) is { } refused)
            return new WebhookReceipt(WebhookOutcome.Unauthorized, Problem: refused);

        List<WebhookEvent> events;
        try
        {
            events = Parse(body, now);
        }
        catch (JsonException)
        {
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "The body is not a JSON array of HubSpot events.");
        }
        catch (FormatException e)
        {
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: e.Message);
        }
        var unique = events.DistinctBy(e => e.EventId).ToList();
        var stored = unique.Count == 0 ? 0 : await inbox.StoreAsync(unique, ct);
        return new WebhookReceipt(WebhookOutcome.Accepted, stored, events.Count - stored);
    }

    private static List<WebhookEvent> Parse(string body, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("The body must be a JSON array of events.");
        if (document.RootElement.GetArrayLength() > WebhookLimits.MaxEventsPerDelivery)
            throw new FormatException($"A delivery holds at most {WebhookLimits.MaxEventsPerDelivery} events.");
        var events = new List<WebhookEvent>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new FormatException("Each event must be a JSON object.");
            var eventId = Text(item, "eventId") ?? throw new FormatException("An event has no eventId.");
            if (eventId.Length > WebhookLimits.MaxEventId) throw new FormatException("An eventId is too long.");
            var raw = item.GetRawText();
            if (raw.Length > WebhookLimits.MaxEventBytes) throw new FormatException($"An event is larger than {WebhookLimits.MaxEventBytes / 1024} KB.");
            events.Add(new WebhookEvent
            {
                Provider = Provider, EventId = eventId, Account = Cut(Text(item, "portalId"), 64), Type = Cut(Text(item, "subscriptionType"), 100),
                Payload = raw, ReceivedAt = now, Status = WebhookEventStatus.Received,
            });
        }
        return events;
    }

    private static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString(),
        _ => null,
    } : null;

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
