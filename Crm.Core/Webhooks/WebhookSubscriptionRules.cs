using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>What every create and update of a subscription checks: the target (SSRF guard) and the event types.</summary>
internal static class WebhookSubscriptionRules
{
    public static async Task<string> UrlAsync(IWebhookTargetPolicy targets, string? url, CancellationToken ct)
    {
        if (await targets.ProblemAsync(url, ct) is { } problem) throw new ValidationFailedException(nameof(WebhookSubscriptionInput.Url), problem);
        return url!.Trim();
    }

    public static List<string> EventTypes(List<string>? types)
    {
        var wanted = (types ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
            throw new ValidationFailedException(nameof(WebhookSubscriptionInput.EventTypes), "Choose at least one event type.");
        var unknown = wanted.Where(t => !WebhookEventTypes.IsKnown(t)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException(nameof(WebhookSubscriptionInput.EventTypes),
                $"Unknown event type(s): {string.Join(", ", unknown.Take(5))}. Known: {string.Join(", ", WebhookEventTypes.All)}.");
        return wanted;
    }

    public static string? Description(string? description)
    {
        var text = description?.Trim();
        if (text is { Length: > WebhookLimits.DescriptionChars })
            throw new ValidationFailedException(nameof(WebhookSubscriptionInput.Description), $"At most {WebhookLimits.DescriptionChars} characters.");
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
