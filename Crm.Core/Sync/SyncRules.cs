namespace Crm.Core.Sync;

/// <summary>How a field both sides changed since the last sync is settled (the seed's <c>ConflictResolution</c>).</summary>
public enum ConflictStrategy
{
    /// <summary>Our value stays and goes to the other system.</summary>
    OursWins = 0,
    /// <summary>Their value comes here.</summary>
    TheirsWins = 1,
    /// <summary>The side that changed the field last wins (each side's modification time of that field).</summary>
    LastWriteWins = 2,
    /// <summary>Each field follows its own rule in the table; fields without one fall back to last write wins.</summary>
    FieldPriority = 3,
    /// <summary>Nothing is written for that field: it waits in the conflict queue for a person.</summary>
    Manual = 4,
    /// <summary>Each side keeps what it has, and nothing is queued (ownership: a conflict keeps the current owner).</summary>
    KeepCurrent = 5,
}

/// <summary>Which way a mapped field travels.</summary>
public enum FieldDirection
{
    Both = 0,
    /// <summary>From the other system into ours only.</summary>
    In = 1,
    /// <summary>From ours out to the other system only.</summary>
    Out = 2,
    None = 3,
}

/// <summary>
/// A connection's conflict rules: a default strategy and a per-field table. The defaults are the seed's
/// <c>CONFLICT_RULES</c>: identity and scoring are ours, lifecycle and deal stage are the CRM's, names go to the last writer.
/// </summary>
public sealed record SyncRules(ConflictStrategy Default, IReadOnlyDictionary<string, ConflictStrategy> PerField)
{
    public static SyncRules Seed { get; } = new(ConflictStrategy.FieldPriority, new Dictionary<string, ConflictStrategy>(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = ConflictStrategy.OursWins,
        ["firstName"] = ConflictStrategy.LastWriteWins,
        ["lastName"] = ConflictStrategy.LastWriteWins,
        ["lifecycle"] = ConflictStrategy.TheirsWins,
        ["dealStage"] = ConflictStrategy.TheirsWins,
        ["stage"] = ConflictStrategy.TheirsWins,
        ["leadScore"] = ConflictStrategy.OursWins,
        ["scoreTier"] = ConflictStrategy.OursWins,
        ["owner"] = ConflictStrategy.KeepCurrent,
    });

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
    };

    private sealed record Stored(ConflictStrategy Default, Dictionary<string, ConflictStrategy> Fields);

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(new Stored(Default, new Dictionary<string, ConflictStrategy>(PerField)), Json);

    /// <summary>A connection's stored rules; the seed's when it has none.</summary>
    public static SyncRules FromJson(string? json) =>
        json is null || System.Text.Json.JsonSerializer.Deserialize<Stored>(json, Json) is not { } stored
            ? Seed
            : new SyncRules(stored.Default, new Dictionary<string, ConflictStrategy>(stored.Fields, StringComparer.OrdinalIgnoreCase));

    /// <summary>The strategy that decides <paramref name="field"/>: its own under field priority, else the default.</summary>
    public ConflictStrategy For(string field) => Default == ConflictStrategy.FieldPriority
        ? PerField.TryGetValue(field, out var own) && own != ConflictStrategy.FieldPriority ? own : ConflictStrategy.LastWriteWins
        : Default;
}
