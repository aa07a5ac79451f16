using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Integrations.Connections;

public sealed class ConnectionSettingsInput
{
    /// <summary>Minutes between scheduled runs: 5 minutes to a day.</summary>
    [Range(5, 1440, ErrorMessage = "Sync every 5 to 1,440 minutes.")]
    public int? SyncIntervalMinutes { get; set; }

    public SyncDirection? Direction { get; set; }

    [MaxLength(FieldLimits.Name)]
    public string? Name { get; set; }

    /// <summary>The conflict rules: a default strategy and one per field (our field keys); fields not named follow the default.</summary>
    public ConflictRulesInput? ConflictRules { get; set; }

    /// <summary>The plan whose limits the budget follows ("default", or a tier configured for the provider, like HubSpot's "professional").</summary>
    [MaxLength(32)]
    public string? Tier { get; set; }

    /// <summary>The mass-change guard: a run changing more than this share of synced records (1–100%) waits for an admin.</summary>
    [Range(1, 100, ErrorMessage = "Hold runs that change 1% to 100% of synced records.")]
    public int? MassChangePercent { get; set; }
}

public sealed class ConflictRulesInput
{
    public Crm.Core.Sync.ConflictStrategy? Default { get; set; }
    public Dictionary<string, Crm.Core.Sync.ConflictStrategy>? Fields { get; set; }
}

/// <summary>A connection's name, direction, interval, budget tier and conflict rules; a new interval reschedules its trigger at once.</summary>
public sealed class UpdateConnectionSettingsHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, Calls.ProviderBudgets budgets)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, ConnectionSettingsInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (input.Direction is { } direction && !Enum.IsDefined(direction))
                throw new ValidationFailedException(new Dictionary<string, string[]> { ["Direction"] = ["Choose both ways, into the CRM only, or out of it only."] });
            if (input.SyncIntervalMinutes is { } minutes) connection.SyncIntervalMinutes = minutes;
            if (input.Direction is { } d) connection.Direction = d;
            if (input.MassChangePercent is { } percent)
            {
                if (connection.Type != IntegrationType.CrmSync) throw new ValidationFailedException("MassChangePercent", "Only a CRM sync has a mass-change guard.");
                Roles.EnsureAdmin(db.Actor);
                connection.MassChangePercent = percent;
            }
            if (!string.IsNullOrWhiteSpace(input.Name)) connection.Name = input.Name.Trim();
            if (input.ConflictRules is { } rules)
            {
                var fields = rules.Fields ?? new Dictionary<string, Crm.Core.Sync.ConflictStrategy>();
                if (fields.Count > 100 || fields.Keys.Any(k => k.Length is 0 or > 64) || fields.Values.Append(rules.Default ?? default).Any(v => !Enum.IsDefined(v)))
                    throw new ValidationFailedException(new Dictionary<string, string[]> { ["ConflictRules"] = ["Name at most 100 fields, each with ours wins, theirs wins, last write wins, manual or keep current."] });
                var current = Crm.Core.Sync.SyncRules.FromJson(connection.ConflictRules);
                connection.ConflictRules = new Crm.Core.Sync.SyncRules(rules.Default ?? current.Default, new Dictionary<string, Crm.Core.Sync.ConflictStrategy>(fields, StringComparer.OrdinalIgnoreCase)).ToJson();
            }
            if (input.Tier is { } tier)
            {
                var tiers = budgets.Providers.TryGetValue(connection.Provider, out var known) ? known.Keys.ToList() : ["default"];
                if (!tiers.Contains(tier, StringComparer.OrdinalIgnoreCase))
                    throw new ValidationFailedException(new Dictionary<string, string[]> { ["Tier"] = [$"Choose one of: {string.Join(", ", tiers)}."] });
                connection.BudgetTier = tier.Equals("default", StringComparison.OrdinalIgnoreCase) ? null : tier.ToLowerInvariant();
            }
            await db.SaveChangesAsync(ct);
        }
        var view = await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
        await schedule.ScheduleAsync(view, ct);
        return view;
    }
}
