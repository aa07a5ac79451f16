using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.Calendar;

/// <summary>
/// What makes two calendar entries the same meeting: the iCalendar UID an invitation carries to every attendee's
/// calendar, and for one occurrence of a series the start the series gave it (a moved occurrence keeps its key).
/// Without a UID an entry is only itself (its calendar and id).
/// </summary>
public static class MeetingKeys
{
    public const int MaxLength = 400;

    public static string For(CalendarEvent e, long integrationId)
    {
        var key = e.ICalUid is { Length: > 0 } uid
            ? e.OriginalStart is { } original ? $"{uid}/{Instant(original)}" : uid
            : $"integration:{integrationId.ToString(CultureInfo.InvariantCulture)}/{e.CalendarId}/{e.EventId}";
        return key.Length <= MaxLength ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>An id kept as it is when it fits the column, hashed when it is longer (ids are compared, never shown).</summary>
    public static string Fit(string id, int max) =>
        id.Length <= max ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
