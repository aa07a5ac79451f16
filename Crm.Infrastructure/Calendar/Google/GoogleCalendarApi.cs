using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Calendar.Google;

/// <summary>A sync token Google no longer accepts (410 Gone, <c>fullSyncRequired</c>): the calendar is read in full again.</summary>
public sealed class GoogleSyncTokenExpiredException() : Exception("Google Calendar wants a full sync (the sync token expired).");

/// <summary>
/// The Google Calendar API v3 over REST (its .NET client package is not available here): calendarList, events.list
/// (expanded occurrences, a window or a sync token), insert, patch and delete with the attendees notified, and push
/// channels. Every call counts in the connection's "calendar" budget (600 requests a minute per user).
/// </summary>
public sealed class GoogleCalendarApi(HttpClient http, GoogleAppSettings settings)
{
    public const string Tier = "calendar";
    public const int PageSize = 250;
    private const string Provider = "Google Calendar";

    private string Url(string path) => settings.CalendarApiUrl.TrimEnd('/') + path;

    private static string Id(string id) => Uri.EscapeDataString(id);

    public async Task<List<GoogleCalendarListEntry>> CalendarListAsync(ConnectionRef connection, CancellationToken ct)
    {
        var all = new List<GoogleCalendarListEntry>();
        string? page = null;
        do
        {
            var path = $"/users/me/calendarList?maxResults=250&showHidden=true" + (page is null ? "" : "&pageToken=" + Uri.EscapeDataString(page));
            using var request = new HttpRequestMessage(HttpMethod.Get, Url(path)).For(connection, tier: Tier);
            using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
            var list = await ProviderResponses.ReadAsync<GoogleCalendarList>(response, Provider, ct);
            all.AddRange((list.Items ?? []).Where(c => c.Deleted != true));
            page = list.NextPageToken;
        } while (page is not null && all.Count < 1000);
        return all;
    }

    /// <summary>
    /// One page of a calendar's events, occurrences expanded: from <paramref name="timeMin"/> on a first read (deleted
    /// ones left out), or everything changed since <paramref name="syncToken"/> (deleted ones included).
    /// </summary>
    /// <exception cref="GoogleSyncTokenExpiredException">410: the sync token is no longer valid.</exception>
    public async Task<GoogleEventsPage> EventsAsync(ConnectionRef connection, string calendarId, string? syncToken, DateTimeOffset? timeMin, string? pageToken,
        CancellationToken ct)
    {
        var query = $"?singleEvents=true&maxResults={PageSize}"
                    + (syncToken is not null ? "&showDeleted=true&syncToken=" + Uri.EscapeDataString(syncToken)
                        : timeMin is { } min ? "&timeMin=" + Uri.EscapeDataString(min.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)) : "")
                    + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url($"/calendars/{Id(calendarId)}/events{query}")).For(connection, tier: Tier);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        if (response.StatusCode == HttpStatusCode.Gone) throw new GoogleSyncTokenExpiredException();
        return await ProviderResponses.ReadAsync<GoogleEventsPage>(response, Provider, ct);
    }

    /// <summary>events.insert with the attendees invited by Google (sendUpdates=all).</summary>
    public async Task<JsonObject> InsertAsync(ConnectionRef connection, string calendarId, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url($"/calendars/{Id(calendarId)}/events?sendUpdates=all")) { Content = JsonContent.Create(body) }
            .For(connection, tier: Tier);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<JsonObject>(response, Provider, ct);
    }

    public async Task<JsonObject> PatchAsync(ConnectionRef connection, string calendarId, string eventId, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, Url($"/calendars/{Id(calendarId)}/events/{Id(eventId)}?sendUpdates=all")) { Content = JsonContent.Create(body) }
            .For(connection, tier: Tier, idempotent: true);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<JsonObject>(response, Provider, ct);
    }

    /// <summary>Deletes (cancels) an event; one already gone (404, 410) is fine.</summary>
    public async Task DeleteAsync(ConnectionRef connection, string calendarId, string eventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Url($"/calendars/{Id(calendarId)}/events/{Id(eventId)}?sendUpdates=all")).For(connection, tier: Tier);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return;
        if (!response.IsSuccessStatusCode) await ProviderResponses.ReadAsync<JsonObject>(response, Provider, ct);
    }

    /// <summary>events.watch: Google posts to <paramref name="address"/> when the calendar's events change.</summary>
    public async Task<GoogleChannel> WatchAsync(ConnectionRef connection, string calendarId, string channelId, string address, string token, DateTimeOffset expires,
        CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["id"] = channelId, ["type"] = "web_hook", ["address"] = address, ["token"] = token, ["expiration"] = expires.ToUnixTimeMilliseconds(),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url($"/calendars/{Id(calendarId)}/events/watch")) { Content = JsonContent.Create(body) }
            .For(connection, tier: Tier, idempotent: true);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<GoogleChannel>(response, Provider, ct);
    }

    /// <summary>channels.stop; a channel Google no longer knows is fine.</summary>
    public async Task StopAsync(ConnectionRef connection, string channelId, string resourceId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/channels/stop")) { Content = JsonContent.Create(new { id = channelId, resourceId }) }
            .For(connection, tier: Tier, idempotent: true);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        if (response.StatusCode == HttpStatusCode.NotFound || response.IsSuccessStatusCode) return;
        await ProviderResponses.ReadAsync<JsonObject>(response, Provider, ct);
    }
}

public sealed record GoogleCalendarList([property: JsonPropertyName("items")] List<GoogleCalendarListEntry>? Items,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken);

public sealed record GoogleCalendarListEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("summaryOverride")] string? SummaryOverride,
    [property: JsonPropertyName("primary")] bool? Primary,
    [property: JsonPropertyName("accessRole")] string? AccessRole,
    [property: JsonPropertyName("timeZone")] string? TimeZone,
    [property: JsonPropertyName("deleted")] bool? Deleted);

public sealed record GoogleEventsPage(
    [property: JsonPropertyName("items")] List<JsonObject>? Items,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken,
    [property: JsonPropertyName("nextSyncToken")] string? NextSyncToken,
    [property: JsonPropertyName("timeZone")] string? TimeZone);

public sealed record GoogleChannel([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("expiration")] string? Expiration);
