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

    /// <summary>Stops the app at start, naming the key, when single sign-on is half configured or cannot work.</summary>
    public void Validate()
    {
        var authority = !string.IsNullOrWhiteSpace(Authority);
        var client = !string.IsNullOrWhiteSpace(ClientId);
        if (!authority && !client) return;
        if (!authority) throw new Infrastructure.SettingsProblem($"{Section}:{nameof(Authority)}", "single sign-on has a ClientId but no Authority (the issuer URL).");
        if (!client) throw new Infrastructure.SettingsProblem($"{Section}:{nameof(ClientId)}", "single sign-on has an Authority but no ClientId.");
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new Infrastructure.SettingsProblem($"{Section}:{nameof(Authority)}", $"'{Authority}' is not an http(s) URL of an OpenID Connect issuer.");
        if (uri.Scheme == "http" && RequireHttpsMetadata)
            throw new Infrastructure.SettingsProblem($"{Section}:{nameof(Authority)}", "an issuer must be https (set RequireHttpsMetadata to false only for a local test provider).");
        if (EmailClaims.Length == 0 || EmailClaims.Any(string.IsNullOrWhiteSpace))
            throw new Infrastructure.SettingsProblem($"{Section}:{nameof(EmailClaims)}", "name at least one claim to read the email from (\"email\").");
        if (!Scopes.Contains("openid"))
            throw new Infrastructure.SettingsProblem($"{Section}:{nameof(Scopes)}", "the scopes must include \"openid\".");
    }
}
