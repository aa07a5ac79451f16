namespace Crm.Core.Calendar;

/// <summary>
/// Wall-clock times of calendars as instants: zones named the IANA way (Google, CalDAV) or the Windows way (Outlook's
/// "Pacific Standard Time"), all-day dates as midnight in the calendar's zone, and the hour a DST change skips or
/// repeats resolved as calendar clients do (a skipped time moves forward by the gap; a repeated one is the first).
/// </summary>
public static class CalendarTimes
{
    /// <summary>The zone of an IANA or Windows name; UTC when the name is unknown or missing.</summary>
    public static TimeZoneInfo ZoneOf(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Utc;
        var name = id.Trim();
        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone)) return zone;
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(name, out var iana) && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out zone)) return zone;
        return TimeZoneInfo.Utc;
    }

    /// <summary>The IANA name of a zone named either way ("Pacific Standard Time" → "America/Los_Angeles"); null when unknown.</summary>
    public static string? IanaOf(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        var name = id.Trim();
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(name, out var iana)) return iana;
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? (zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var converted) ? converted : null) : null;
    }

    /// <summary>A wall-clock time in a zone as an instant.</summary>
    public static DateTimeOffset At(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a clock going forward: the same span after the change (09:30 in a 02:00→03:00 gap is 03:30).
            var gap = zone.GetAdjustmentRules().FirstOrDefault(r => r.DateStart <= local && r.DateEnd >= local)?.DaylightDelta ?? TimeSpan.FromHours(1);
            local = local.Add(gap);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static DateTimeOffset AtMidnight(DateOnly day, TimeZoneInfo zone) => At(day.ToDateTime(TimeOnly.MinValue), zone);
}
