namespace Crm.Web.Auth;

/// <summary>Configuration section "Authentication:Oidc". SSO is on when Authority and ClientId are set.</summary>
public sealed class OidcSettings
{
    public const string Section = "Authentication:Oidc";
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string DisplayName { get; set; } = "Single sign-on";
    /// <summary>
    /// Claims tried in order for the user's email. Only "email" by default: "preferred_username" and "upn" are names a
    /// provider may let people choose, so list them only for a provider whose directory controls them (Entra ID: "upn").
    /// </summary>
    public string[] EmailClaims { get; set; } = ["email"];

    /// <summary>The "email" claim counts only with "email_verified": true (Google, Okta, Keycloak send it). Turn off only for a provider that verifies every address it issues.</summary>
    public bool RequireVerifiedEmail { get; set; } = true;
    public bool RequireHttpsMetadata { get; set; } = true;
    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
