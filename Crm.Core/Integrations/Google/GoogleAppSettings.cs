namespace Crm.Core.Integrations.Google;

/// <summary>
/// The Google Cloud OAuth client ("Integrations:Google"): its id and secret, Google's OAuth endpoints (the sandbox's in
/// development) and the scopes a mailbox and a calendar ask for (the seed's Gmail scopes; calendar read and events).
/// </summary>
public sealed class GoogleAppSettings
{
    public const string Section = "Integrations:Google";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string AuthorizeUrl { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";
    public string TokenUrl { get; set; } = "https://oauth2.googleapis.com/token";
    public string RevokeUrl { get; set; } = "https://oauth2.googleapis.com/revoke";
    public string UserInfoUrl { get; set; } = "https://openidconnect.googleapis.com/v1/userinfo";
    /// <summary>The Gmail API's user resource of the connected mailbox.</summary>
    public string GmailApiUrl { get; set; } = "https://gmail.googleapis.com/gmail/v1/users/me";
    /// <summary>How far back a new mailbox connection logs mail (days).</summary>
    public int MailInitialWindowDays { get; set; } = 90;
    public string MailScopes { get; set; } = "openid email https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/gmail.send https://www.googleapis.com/auth/gmail.modify";
    /// <summary>
    /// The Cloud Pub/Sub topic Gmail publishes mailbox changes to (<c>projects/{project}/topics/{topic}</c>, with
    /// gmail-api-push@system.gserviceaccount.com allowed to publish): when set, each mailbox is watched and a change
    /// starts its sync within seconds; unset, mailboxes are polled alone.
    /// </summary>
    public string? GmailPushTopic { get; set; }
    /// <summary>The secret the topic's push subscription puts in its endpoint (<c>/webhooks/google/gmail?token=…</c>).</summary>
    public string? GmailPushToken { get; set; }
    public string CalendarScopes { get; set; } = "openid email https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events";
    /// <summary>The Google Calendar API v3.</summary>
    public string CalendarApiUrl { get; set; } = "https://www.googleapis.com/calendar/v3";
    /// <summary>
    /// This app's public address for Calendar push (<c>https://crm.example.com/webhooks/google</c>, HTTPS with a valid
    /// certificate): when set, each synced calendar is watched and a change starts its sync within seconds; unset, calendars are polled.
    /// </summary>
    public string? CalendarNotificationUrl { get; set; }
    /// <summary>Days back the first calendar sync logs meetings from.</summary>
    public int CalendarPastDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultPastDays;
    /// <summary>Days ahead whose meetings are logged as upcoming.</summary>
    public int CalendarFutureDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultFutureDays;
}
