namespace Crm.Core.Integrations.CalDav;

/// <summary>"Integrations:CalDav": Apple iCloud and other CalDAV servers, connected with an app-specific password.</summary>
public sealed class CalDavAppSettings
{
    public const string Section = "Integrations:CalDav";
    /// <summary>Offered when connecting (iCloud's).</summary>
    public string DefaultServerUrl { get; set; } = "https://caldav.icloud.com/";
    /// <summary>
    /// Hosts a server address may name although they are plain http or resolve to a private or loopback address (an
    /// on-premises server, a test server). Everything else must be https on a public address.
    /// </summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];
    public int CalendarPastDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultPastDays;
    public int CalendarFutureDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultFutureDays;
    /// <summary>Minutes between polls (CalDAV has no push).</summary>
    public int PollMinutes { get; set; } = 15;
}
