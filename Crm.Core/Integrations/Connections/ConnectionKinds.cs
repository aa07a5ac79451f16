namespace Crm.Core.Integrations.Connections;

/// <summary>
/// What one "Connect" is for: a provider and a connection type. Carried through the provider's consent page inside the
/// signed state as a key: the provider alone for a workspace's CRM sync (<c>hubspot</c>), with the type for a person's
/// mailbox or calendar (<c>google:email</c>, <c>microsoft:calendar</c>).
/// </summary>
public readonly record struct ConnectionKind(string Provider, IntegrationType Type)
{
    public string Key => Type == IntegrationType.CrmSync ? Provider : $"{Provider}:{SlugOf(Type)}";

    /// <summary>The name a new connection gets (the page shows the account beside it).</summary>
    public string DefaultName => (Provider, Type) switch
    {
        (IntegrationProviders.HubSpot, _) => "HubSpot",
        (IntegrationProviders.Salesforce, _) => "Salesforce",
        (IntegrationProviders.Google, IntegrationType.Email) => "Gmail",
        (IntegrationProviders.Google, _) => "Google Calendar",
        (IntegrationProviders.Microsoft, IntegrationType.Email) => "Outlook mail",
        (IntegrationProviders.Microsoft, _) => "Outlook Calendar",
        (IntegrationProviders.CalDav, _) => "Apple Calendar",
        _ => Provider,
    };

    public bool IsValid => IntegrationProviders.TypesOf(Provider).Contains(Type);

    public static string SlugOf(IntegrationType type) => type switch
    {
        IntegrationType.Email => "email",
        IntegrationType.Calendar => "calendar",
        _ => "crm_sync",
    };

    public static IntegrationType? TypeOfSlug(string? slug) => slug switch
    {
        "email" => IntegrationType.Email,
        "calendar" => IntegrationType.Calendar,
        "crm_sync" or null or "" => IntegrationType.CrmSync,
        _ => null,
    };

    public static ConnectionKind? Parse(string key)
    {
        var parts = key.Split(':', 2);
        return TypeOfSlug(parts.Length == 2 ? parts[1] : null) is { } type && new ConnectionKind(parts[0], type) is { IsValid: true } kind ? kind : null;
    }
}
