using System.Text.Json.Serialization;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Email.Gmail;

/// <summary>A history id Gmail no longer keeps (404 on history.list): the mailbox is synced in full again.</summary>
public sealed class GmailHistoryExpiredException() : Exception("Gmail no longer has the history since the last sync.");

/// <summary>
/// The Gmail REST API (its .NET client package is not available): profile, messages.list, messages.get in raw format
/// and history.list — each request costs its quota units in the connection's budget (Gmail: 250 a second per user).
/// </summary>
public sealed class GmailApi(HttpClient http, GoogleAppSettings settings)
{
    public const int ListUnits = 5, GetUnits = 5, HistoryUnits = 2, ProfileUnits = 1, WatchUnits = 100;
    private const string Provider = "Gmail";

    private string Url(string path) => settings.GmailApiUrl.TrimEnd('/') + path;

    public async Task<GmailProfile> ProfileAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/profile")).For(connection, units: ProfileUnits);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<GmailProfile>(response, Provider, ct);
    }

    public async Task<GmailMessageList> ListAsync(ConnectionRef connection, string query, string? pageToken, int max, CancellationToken ct)
    {
        var path = $"/messages?maxResults={max}&q={Uri.EscapeDataString(query)}" + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path)).For(connection, units: ListUnits);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<GmailMessageList>(response, Provider, ct);
    }

    /// <summary>The message in raw format; null when it was deleted since it was listed.</summary>
    public async Task<GmailRawMessage?> GetRawAsync(ConnectionRef connection, string id, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url($"/messages/{Uri.EscapeDataString(id)}?format=raw")).For(connection, units: GetUnits);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        return await ProviderResponses.ReadAsync<GmailRawMessage>(response, Provider, ct);
    }

    public async Task<GmailHistoryPage> HistoryAsync(ConnectionRef connection, string startHistoryId, string? pageToken, CancellationToken ct)
    {
        var path = $"/history?maxResults=500&startHistoryId={Uri.EscapeDataString(startHistoryId)}&historyTypes=messageAdded&historyTypes=messageDeleted"
                   + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path)).For(connection, units: HistoryUnits);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) throw new GmailHistoryExpiredException();
        return await ProviderResponses.ReadAsync<GmailHistoryPage>(response, Provider, ct);
    }

    /// <summary>users.watch: Inbox and Sent changes published to the topic for 7 days (100 quota units).</summary>
    public async Task<GmailWatchResponse> WatchAsync(ConnectionRef connection, string topic, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/watch"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { topicName = topic, labelIds = new[] { "INBOX", "SENT" }, labelFilterBehavior = "INCLUDE" }),
        }.For(connection, units: WatchUnits);
        using var response = await ProviderResponses.SendAsync(http, request, Provider, ct);
        return await ProviderResponses.ReadAsync<GmailWatchResponse>(response, Provider, ct);
    }

    public static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

public sealed record GmailWatchResponse([property: JsonPropertyName("historyId")] string? HistoryId, [property: JsonPropertyName("expiration")] string? Expiration);

public sealed record GmailProfile([property: JsonPropertyName("emailAddress")] string? EmailAddress, [property: JsonPropertyName("historyId")] string? HistoryId);

public sealed record GmailMessageRef([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("threadId")] string? ThreadId,
    [property: JsonPropertyName("labelIds")] List<string>? LabelIds = null);

public sealed record GmailMessageList([property: JsonPropertyName("messages")] List<GmailMessageRef>? Messages, [property: JsonPropertyName("nextPageToken")] string? NextPageToken);

public sealed record GmailRawMessage(
    [property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("threadId")] string? ThreadId,
    [property: JsonPropertyName("labelIds")] List<string>? LabelIds, [property: JsonPropertyName("internalDate")] string? InternalDate,
    [property: JsonPropertyName("raw")] string? Raw);

public sealed record GmailHistoryChange([property: JsonPropertyName("message")] GmailMessageRef Message);

public sealed record GmailHistoryRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("messagesAdded")] List<GmailHistoryChange>? MessagesAdded,
    [property: JsonPropertyName("messagesDeleted")] List<GmailHistoryChange>? MessagesDeleted);

public sealed record GmailHistoryPage([property: JsonPropertyName("history")] List<GmailHistoryRecord>? History,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken, [property: JsonPropertyName("historyId")] string? HistoryId);
