namespace Crm.Core.Integrations.Salesforce;

/// <summary>
/// The Salesforce connected app ("Integrations:Salesforce"): its consumer key and secret, the login host
/// (login.salesforce.com, test.salesforce.com for sandboxes, the CRM sandbox in development) and its scopes.
/// </summary>
public sealed class SalesforceAppSettings
{
    public const string Section = "Integrations:Salesforce";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string LoginUrl { get; set; } = "https://login.salesforce.com";
    public string Scopes { get; set; } = "api refresh_token id";
}
