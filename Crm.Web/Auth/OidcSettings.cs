namespace Crm.Web.Auth;

/// <summary>Configuration section "Authentication:Oidc". SSO is on when Authority and ClientId are set.</summary>
public sealed class OidcSettings
{
    public const string Section = "Authentication:Oidc";
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string DisplayName { get; set; } = "Single sign-on";
    /// <summary>Claims tried in order for the user's email.</summary>
    public string[] EmailClaims { get; set; } = ["email", "preferred_username", "upn"];
    public bool RequireHttpsMetadata { get; set; } = true;
    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
