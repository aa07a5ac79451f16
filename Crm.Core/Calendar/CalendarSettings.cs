using System.Text.Json;

namespace Crm.Core.Calendar;

/// <summary>One calendar of a connected account, as the provider lists it, and whether the person syncs it.</summary>
/// <param name="CanWrite">The account may add events to it (where meetings scheduled in the CRM can go).</param>
public sealed record CalendarChoice(string Id, string Name, bool Primary, bool CanWrite, bool Selected, string? TimeZone = null);

/// <summary>
/// A calendar connection's settings (the seed's CalendarSync): which of its calendars are read, whether only meetings
/// with contacts are logged, and the calendar meetings scheduled in the CRM are created in. Stored as JSON on the
/// connection; direction and interval are the connection's own columns.
/// </summary>
public sealed record CalendarSettings(List<CalendarChoice> Calendars, bool MeetingsOnly = true, string? OutCalendarId = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CalendarSettings Empty => new([]);

    public IEnumerable<CalendarChoice> SelectedCalendars => Calendars.Where(c => c.Selected);

    /// <summary>Where meetings made in the CRM go: the chosen calendar, else the primary one if it may be written.</summary>
    public CalendarChoice? OutCalendar =>
        Calendars.FirstOrDefault(c => c.Id == OutCalendarId && c.CanWrite) ?? Calendars.FirstOrDefault(c => c.Primary && c.CanWrite);

    public static CalendarSettings Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return Empty;
        try
        {
            return JsonSerializer.Deserialize<CalendarSettings>(json, Json) is { Calendars: not null } settings ? settings : Empty;
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The provider's current list merged with what the person chose: choices kept for calendars that still exist, a new
    /// connection starting with its primary calendar selected.
    /// </summary>
    public CalendarSettings Refreshed(IReadOnlyList<CalendarChoice> listed)
    {
        var known = Calendars.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var first = Calendars.Count == 0;
        var merged = listed.Take(CalendarLimits.CalendarsPerConnection)
            .Select(c => c with { Selected = known.TryGetValue(c.Id, out var was) ? was.Selected : first && c.Primary })
            .ToList();
        return this with { Calendars = merged, OutCalendarId = merged.Any(c => c.Id == OutCalendarId) ? OutCalendarId : null };
    }
}
