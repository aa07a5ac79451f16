namespace Crm.Sandbox.HubSpot;

/// <summary>Configuration section "Sandbox:HubSpot": the app registered with the stand-in, and the portal it installs into.</summary>
public sealed class HubSpotSandboxOptions
{
    public const string Section = "Sandbox:HubSpot";
    public string ClientId { get; set; } = "crm-hubspot-app";
    public string ClientSecret { get; set; } = "sandbox-hubspot-secret-change-me";
    public List<string> RedirectUris { get; set; } = [];
    /// <summary>Any port on 127.0.0.1/localhost is a registered redirect URI (tests and the demo pick free ports).</summary>
    public bool AllowAnyLoopbackPort { get; set; } = true;
    public long AppId { get; set; } = 54321;
    public long HubId { get; set; } = 62515;
    public string HubDomain { get; set; } = "sandbox-62515.hubspot.test";
    public long UserId { get; set; } = 9001;
    public string User { get; set; } = "owner@sandbox.example";
    public int AccessTokenSeconds { get; set; } = 1800;
    public int CodeSeconds { get; set; } = 600;
}
