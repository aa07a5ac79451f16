namespace Crm.Core.Webhooks;

public sealed class WebhookSubscriptionInput
{
    public string? Url { get; set; }
    public List<string>? EventTypes { get; set; }
    public string? Description { get; set; }
    /// <summary>Re-enables a disabled endpoint when true (its failure record starts again).</summary>
    public bool? IsActive { get; set; }
}

public sealed record WebhookSubscriptionView(long Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool IsActive,
    string? DisabledReason, DateTimeOffset? DisabledAt, DateTimeOffset? FailingSince, string Source, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset? PausedUntil = null, string? PauseReason = null)
{
    public static WebhookSubscriptionView Of(WebhookSubscription s) => new(s.Id, s.Url, s.Description, s.EventTypes, s.IsActive, s.DisabledReason,
        s.DisabledAt, s.FailingSince, s.Source, s.CreatedAt, s.PreviousSecretExpiresAt, s.PausedUntil, s.PauseReason);
}

/// <summary>The secret in clear, returned once (at creation or rotation) and never again.</summary>
public sealed record WebhookSubscriptionWithSecret(WebhookSubscriptionView Subscription, string Secret);

/// <summary>Checks a target URL against <see cref="WebhookTargets"/>, resolving its host: null when it may be used.</summary>
public interface IWebhookTargetPolicy
{
    Task<string?> ProblemAsync(string? url, CancellationToken ct);
}
