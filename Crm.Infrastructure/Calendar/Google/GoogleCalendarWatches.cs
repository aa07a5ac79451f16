using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Calendar.Google;

/// <summary>
/// Push for a rep's chosen Google calendars, while <see cref="GoogleAppSettings.CalendarNotificationUrl"/> is set: an
/// <c>events.watch</c> channel per calendar, made on a sync and made again a day before it expires (Google's last about
/// a week); channels of calendars no longer chosen are stopped. A notification (<c>/webhooks/google</c>, its token and
/// resource checked) only starts the sync, which reads from its sync token — a lost one costs time, not meetings.
/// </summary>
public sealed class GoogleCalendarWatches(GoogleCalendarApi api, IWebhookChannels channels, GoogleAppSettings settings, TimeProvider time,
    ILogger<GoogleCalendarWatches> log)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

    public async Task EnsureAsync(ConnectionRef connection, IReadOnlyList<string> calendarIds, CancellationToken ct)
    {
        if (settings.CalendarNotificationUrl is not { Length: > 0 } address) return;
        var now = time.GetUtcNow();
        var current = await channels.OfConnectionAsync(connection, ct);
        foreach (var calendarId in calendarIds)
        {
            var prefix = PrefixOf(connection, calendarId);
            var mine = current.Where(c => c.ChannelId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (mine.Any(c => c.ExpiresAt - now > RenewBefore)) continue;
            try
            {
                var channelId = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                var secret = WebhookChannel.NewSecret();
                var watch = await api.WatchAsync(connection, calendarId, channelId, address, secret, now + Lifetime, ct);
                var expires = long.TryParse(watch.Expiration, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : now + Lifetime;
                await channels.AddAsync(connection, channelId, watch.ResourceId, secret, expires, ct);
                foreach (var old in mine) await StopAsync(connection, old, ct);
            }
            catch (ProviderApiException e)
            {
                log.LogWarning("Push for a calendar of connection {Connection} could not be set up; it is polled: {Message}", connection.IntegrationId, e.Message);
            }
        }
        // Calendars no longer chosen: their channels go.
        var wanted = calendarIds.Select(id => PrefixOf(connection, id)).ToList();
        foreach (var stale in current.Where(c => c.ChannelId.StartsWith("cal-", StringComparison.Ordinal) && !wanted.Any(p => c.ChannelId.StartsWith(p, StringComparison.Ordinal))))
            await StopAsync(connection, stale, ct);
    }

    private async Task StopAsync(ConnectionRef connection, WebhookChannel channel, CancellationToken ct)
    {
        try
        {
            if (channel.ResourceId is { } resource) await api.StopAsync(connection, channel.ChannelId, resource, ct);
        }
        catch (ProviderApiException e)
        {
            log.LogInformation("A calendar channel of connection {Connection} could not be stopped (it expires on its own): {Message}", connection.IntegrationId, e.Message);
        }
        await channels.CloseAsync(connection.Provider, channel.ChannelId, ct);
    }

    /// <summary>"cal-{connection}-{calendar hash}-": Google's channel ids are at most 64 characters of [A-Za-z0-9-_+/=].</summary>
    private static string PrefixOf(ConnectionRef connection, string calendarId) =>
        $"cal-{connection.IntegrationId.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(calendarId)))[..12]}-";
}
