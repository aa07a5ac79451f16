namespace Crm.Core.Integrations.Graph;

/// <summary>
/// The Entra ID app registration ("Integrations:Microsoft"): its id and secret, the tenant (<c>common</c> for any work
/// or school account), the identity platform v2.0 and Graph base addresses (the sandbox's in development) and the
/// seed's Graph scopes, with <c>offline_access</c> for a refresh token.
/// </summary>
public sealed class MicrosoftAppSettings
{
    public const string Section = "Integrations:Microsoft";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string Tenant { get; set; } = "common";
    public string LoginBaseUrl { get; set; } = "https://login.microsoftonline.com";
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";
    public string MailScopes { get; set; } = "offline_access openid email User.Read Mail.Read Mail.Send";
    public string CalendarScopes { get; set; } = "offline_access openid email User.Read Calendars.ReadWrite";
    /// <summary>
    /// This app's public https address of <c>/webhooks/microsoft</c>: when set, each mailbox keeps Graph change
    /// notifications on Inbox and Sent Items (new mail syncs within seconds); unset, mailboxes are polled alone.
    /// </summary>
    public string? NotificationUrl { get; set; }

    /// <summary>Days back the first calendar sync logs meetings from.</summary>
    public int CalendarPastDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultPastDays;
    /// <summary>Days ahead whose meetings are logged as upcoming (Graph's calendar view is read for this window).</summary>
    public int CalendarFutureDays { get; set; } = Crm.Core.Calendar.CalendarLimits.DefaultFutureDays;

    public string AuthorizeUrl => $"{LoginBaseUrl.TrimEnd('/')}/{Tenant}/oauth2/v2.0/authorize";
    public string TokenUrl => $"{LoginBaseUrl.TrimEnd('/')}/{Tenant}/oauth2/v2.0/token";
}
