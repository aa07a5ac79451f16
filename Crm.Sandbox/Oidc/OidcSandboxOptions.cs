namespace Crm.Sandbox.Oidc;

/// <summary>Configuration section "Sandbox:Oidc": registered clients and the people the user picker offers.</summary>
public sealed class OidcSandboxOptions
{
    public const string Section = "Sandbox:Oidc";

    public List<OidcClient> Clients { get; set; } = [];
    public List<OidcUser> Users { get; set; } = [];

    /// <summary>RFC 8252 §7.3: a loopback redirect URI matches whatever its port, so apps on random ports work.</summary>
    public bool AllowAnyLoopbackPort { get; set; } = true;
    public int IdTokenLifetimeSeconds { get; set; } = 300;
    public int CodeLifetimeSeconds { get; set; } = 60;
}

public sealed class OidcClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
}

public sealed class OidcUser
{
    public string Subject { get; set; } = "";
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>What the provider says of the address ("email_verified"); a person with an unconfirmed address is false.</summary>
    public bool EmailVerified { get; set; } = true;
}
