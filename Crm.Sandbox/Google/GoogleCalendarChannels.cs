using System.Collections.Concurrent;
using System.Globalization;

namespace Crm.Sandbox.Google;

/// <summary>A watch channel on a calendar's events: where to post, with what token, until when.</summary>
public sealed record CalendarChannel(string Id, string ResourceId, string Account, string CalendarId, string Address, string? Token, DateTimeOffset Expiration)
{
    public long MessageNumber;
}

/// <summary>
/// Google Calendar's push: <c>events.watch</c> opens a channel (a "sync" message first), every change to the calendar
/// posts an empty body with the <c>X-Goog-*</c> headers to its address, <c>channels.stop</c> closes it. A delivery
/// that fails is not retried (Google's channels are best effort), which is why a client keeps polling.
/// </summary>
public sealed class GoogleCalendarChannels(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CalendarChannel> _channels = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private long _delivered, _failed;

    public (long Delivered, long Failed, int Open) Stats => (Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed), _channels.Count);

    public CalendarChannel Open(string id, string account, string calendarId, string address, string? token, DateTimeOffset? requested)
    {
        var max = time.GetUtcNow().AddDays(7);
        var expiration = requested is { } r && r < max ? r : max;
        var channel = new CalendarChannel(id, GoogleCalendarStore.NewId(), account, calendarId, address, token, expiration);
        _channels[id] = channel;
        _ = PostAsync(channel, "sync");
        return channel;
    }

    public bool Close(string id, string resourceId) => _channels.TryGetValue(id, out var channel) && channel.ResourceId == resourceId && _channels.TryRemove(id, out _);

    public bool Exists(string id) => _channels.ContainsKey(id);

    /// <summary>The calendar's events changed: every open channel on it is told.</summary>
    public void Changed(string account, string calendarId)
    {
        var now = time.GetUtcNow();
        foreach (var channel in _channels.Values.Where(c => c.CalendarId == calendarId && string.Equals(c.Account, account, StringComparison.OrdinalIgnoreCase)))
        {
            if (channel.Expiration <= now) _channels.TryRemove(channel.Id, out _);
            else _ = PostAsync(channel, "exists");
        }
    }

    private async Task PostAsync(CalendarChannel channel, string state)
    {
        var number = Interlocked.Increment(ref channel.MessageNumber);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Address) { Content = new ByteArrayContent([]) };
        request.Headers.Add("X-Goog-Channel-ID", channel.Id);
        if (channel.Token is not null) request.Headers.Add("X-Goog-Channel-Token", channel.Token);
        request.Headers.Add("X-Goog-Channel-Expiration", channel.Expiration.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.Add("X-Goog-Resource-ID", channel.ResourceId);
        request.Headers.Add("X-Goog-Resource-URI", $"https://www.googleapis.com/calendar/v3/calendars/{Uri.EscapeDataString(channel.CalendarId)}/events?alt=json");
        request.Headers.Add("X-Goog-Resource-State", state);
        request.Headers.Add("X-Goog-Message-Number", number.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _delivered : ref _failed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
