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
    /// <summary>The portal's users who can own records (GET /crm/v3/owners).</summary>
    public List<HubSpotOwner> Owners { get; set; } =
    [
        new() { Id = "41629779", Email = "owner@sandbox.example", FirstName = "Olivia", LastName = "Owner", UserId = 9001 },
        new() { Id = "41629780", Email = "rep@example.com", FirstName = "Riley", LastName = "Rep", UserId = 9002 },
        new() { Id = "41629781", Email = "admin@example.com", FirstName = "Avery", LastName = "Admin", UserId = 9003 },
        new() { Id = "41629782", Email = "departed@sandbox.example", FirstName = "Dana", LastName = "Departed", UserId = 9004 },
    ];
}

public sealed class HubSpotOwner
{
    public string Id { get; set; } = "";
    public string Email { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public long UserId { get; set; }
}
