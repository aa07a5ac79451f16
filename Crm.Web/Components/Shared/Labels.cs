using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using MudBlazor;

namespace Crm.Web.Components.Shared;

/// <summary>How values read on screen.</summary>
public static class Labels
{
    public static string Of(Lifecycle lifecycle) => lifecycle switch
    {
        Lifecycle.Mql => "MQL",
        Lifecycle.Sql => "SQL",
        _ => lifecycle.ToString(),
    };

    public static Color ColorOf(Lifecycle lifecycle) => lifecycle switch
    {
        Lifecycle.Lead or Lifecycle.Subscriber or Lifecycle.Other => Color.Default,
        Lifecycle.Mql => Color.Info,
        Lifecycle.Sql => Color.Primary,
        Lifecycle.Opportunity => Color.Warning,
        _ => Color.Success,
    };

    public static string Of(ChangeSource source) => source switch
    {
        ChangeSource.User => "in the app",
        ChangeSource.Api => "through the API",
        ChangeSource.Import => "by an import",
        ChangeSource.Sync => "by sync",
        _ => "by the system",
    };

    public static string IconOf(ActivityType type) => type switch
    {
        ActivityType.Note => Icons.Material.Filled.StickyNote2,
        ActivityType.Task => Icons.Material.Filled.TaskAlt,
        ActivityType.Call => Icons.Material.Filled.Call,
        ActivityType.Email => Icons.Material.Filled.Email,
        _ => Icons.Material.Filled.Event,
    };

    public static Color ColorOf(ActivityType type) => type switch
    {
        ActivityType.Note => Color.Warning,
        ActivityType.Task => Color.Primary,
        ActivityType.Call => Color.Success,
        ActivityType.Email => Color.Info,
        _ => Color.Secondary,
    };

    public static string Of(CallOutcome outcome) => outcome switch
    {
        CallOutcome.NoAnswer => "No answer",
        CallOutcome.LeftVoicemail => "Left voicemail",
        CallOutcome.WrongNumber => "Wrong number",
        _ => outcome.ToString(),
    };

    public static string Of(MeetingOutcome outcome) => outcome switch
    {
        MeetingOutcome.NoShow => "No show",
        _ => outcome.ToString(),
    };

    /// <summary>Times are stored in UTC and shown in UTC, labelled as such.</summary>
    public static string Of(Crm.Core.Integrations.Connections.ConnectionStatus status) => status switch
    {
        Crm.Core.Integrations.Connections.ConnectionStatus.Connected => "Connected",
        Crm.Core.Integrations.Connections.ConnectionStatus.Syncing => "Syncing",
        Crm.Core.Integrations.Connections.ConnectionStatus.Error => "Error",
        Crm.Core.Integrations.Connections.ConnectionStatus.NeedsReconnect => "Needs reconnect",
        _ => "Disconnected",
    };

    private static readonly AsyncLocal<TimeZoneInfo?> CurrentZone = new();

    /// <summary>The zone times are shown in for the work at hand (the signed-in person's; UTC when none).</summary>
    public static TimeZoneInfo Zone => CurrentZone.Value ?? TimeZoneInfo.Utc;

    /// <summary>Times shown from here on, in this flow of work, are in this zone.</summary>
    public static void UseZone(TimeZoneInfo zone) => CurrentZone.Value = zone;

    /// <summary>A moment in the person's own time zone, named after it ("14:05 UTC" only when that is their zone).</summary>
    public static string When(DateTimeOffset at)
    {
        var zone = Zone;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var text = local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        return zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC" ? text + " UTC" : text;
    }

    /// <summary>The time of day of a moment in the person's zone ("14:05").</summary>
    public static string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An all-day event's date, in the zone it was made in (it is that date wherever it is read).</summary>
    public static string Day(DateTimeOffset at, string? zone) =>
        TimeZoneInfo.ConvertTime(at, Crm.Core.Calendar.CalendarTimes.ZoneOf(zone)).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The calendar day of a moment in the person's zone (what "today" means to them).</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>Counts with thousands separators, the same whatever the server's culture (the UI is English).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1048576.0:0.#} MB",
    };

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count with its noun, singular for one: "1 row", "2,000 rows" (the plural is the noun and "s" unless given).</summary>
    public static string Count(int value, string noun, string? plural = null) => $"{Number(value)} {(value == 1 ? noun : plural ?? noun + "s")}";

    public static string Date(DateOnly? date) => date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "—";

    public static string Money(decimal? amount, string currency) =>
        // A no-break space: "USD 339,000" never breaks between the code and the amount.
        amount is null ? "—" : $"{currency}\u00A0{amount.Value.ToString("N0", CultureInfo.InvariantCulture)}";

    public static string Duration(int? seconds) =>
        seconds is null ? "" : TimeSpan.FromSeconds(seconds.Value) is var t && t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}m" : $"{t.Minutes}m {t.Seconds}s";
}
