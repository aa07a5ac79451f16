using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <summary>
/// One object type's mapping on a connection: the entries in force (the connection's own, else the provider's
/// defaults), every property there (custom ones included) and every field here to choose from, and what is wrong with it.
/// </summary>
public sealed record FieldMappingView(string ObjectType, IReadOnlyList<FieldMapEntry> Entries, bool Customised, IReadOnlyList<RemoteProperty> TheirProperties,
    IReadOnlyList<OurField> OurFields, IReadOnlyList<string> Problems);

public sealed class FieldMappingInput
{
    public List<FieldMapEntry>? Entries { get; set; }
    /// <summary>Back to the provider's defaults (the entries are ignored).</summary>
    public bool Reset { get; set; }
}

/// <summary>The mapping editor's view of one object type (admins only; one call for their properties).</summary>
public sealed class GetFieldMappingHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public async Task<FieldMappingView> HandleAsync(long integrationId, string objectType, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (row, remote, ours) = await FieldMappingSource.LoadAsync(db, services, integrationId, objectType, ct);
        var saved = ConnectionMappings.FromJson(row.Mappings).For(objectType);
        var map = saved ?? remote.Map;
        var theirs = await ((IRemoteSchema)remote).PropertiesAsync(new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider), ct);
        var fields = await ours.FieldsAsync(db, ct);
        return new FieldMappingView(objectType, map.Entries, saved is not null, theirs, fields, FieldMappingSource.Problems(map, theirs, fields, ours));
    }
}

/// <summary>
/// Saves an object type's mapping after checking it against both sides: fields that exist, no field filled from two,
/// picklist values that are the field's, nothing written to a property that is read-only there. Used from the next run on.
/// </summary>
public sealed class SaveFieldMappingHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public const int MaxEntries = 300;
    public const int MaxValues = 500;

    public async Task<FieldMappingView> HandleAsync(long integrationId, string objectType, FieldMappingInput input, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var (row, remote, ours) = await FieldMappingSource.LoadAsync(db, services, integrationId, objectType, ct);
            var mappings = ConnectionMappings.FromJson(row.Mappings);
            if (input.Reset)
                row.Mappings = new ConnectionMappings(mappings.Objects.Where(o => o.Key != objectType).ToDictionary()).ToJson();
            else
            {
                var entries = input.Entries ?? [];
                if (entries.Count is 0 or > MaxEntries || entries.Any(e => e.Values?.Count > MaxValues || e.Theirs is not { Length: > 0 and <= 100 } || e.Ours is not { Length: > 0 and <= 100 }))
                    throw new ValidationFailedException("Entries", $"Map 1 to {MaxEntries} fields, each naming a property there and a field here, with at most {MaxValues} value pairs.");
                var theirs = await ((IRemoteSchema)remote).PropertiesAsync(new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider), ct);
                // A value the admin did not give a kind takes it from the property's type there (numbers and dates read the same both ways).
                var byName = theirs.ToDictionary(p => p.Name);
                var current = (mappings.For(objectType) ?? remote.Map).Entries;
                entries = entries.Select(e => e with
                {
                    Kind = e.Kind != FieldKind.Text ? e.Kind : byName.GetValueOrDefault(e.Theirs)?.Type switch { "number" => FieldKind.Number, "date" or "datetime" => FieldKind.Date, _ => FieldKind.Text },
                    // Deal stages are paired on their own tab: the pairs in force are kept.
                    Values = e.Ours == "stage" ? current.FirstOrDefault(c => c.Ours == "stage")?.Values : e.Values,
                }).ToList();
                var map = new FieldMap(entries);
                var problems = FieldMappingSource.Problems(map, theirs, await ours.FieldsAsync(db, ct), ours);
                if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Entries"] = problems.ToArray() });
                row.Mappings = mappings.With(objectType, entries).ToJson();
            }
            await db.SaveChangesAsync(ct);
        }
        return await new GetFieldMappingHandler(dbFactory, services).HandleAsync(integrationId, objectType, ct);
    }
}

internal static class FieldMappingSource
{
    public static async Task<(Integration Row, IRemoteObjects Remote, ISyncedFields Ours)> LoadAsync(ICrmDb db, IServiceProvider services, long integrationId, string objectType, CancellationToken ct)
    {
        Roles.EnsureAdmin(db.Actor);
        var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (row.Type != IntegrationType.CrmSync || ISyncedFields.For(objectType) is not { } ours
            || services.GetKeyedService<IRemoteObjects>($"{row.Provider}:{objectType}") is not { } remote || remote is not IRemoteSchema)
            throw new NotFoundException("Mapping", objectType);
        if (row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect) throw new ConflictException("Reconnect this connection to edit its mapping.");
        return (row, remote, ours);
    }

    public static IReadOnlyList<string> Problems(FieldMap map, IReadOnlyList<RemoteProperty> theirs, IReadOnlyList<OurField> ours, ISyncedFields synced)
    {
        var ourKeys = ours.Select(f => f.Key).Where(synced.Supports).ToHashSet(StringComparer.Ordinal);
        var theirOptions = theirs.Where(p => p.Options.Count > 0 && p.Name is not "dealstage" and not "pipeline")
            .ToDictionary(p => p.Name, p => (IReadOnlySet<string>)p.Options.Select(o => o.Value).ToHashSet(StringComparer.OrdinalIgnoreCase));
        var ourOptions = ours.Where(f => f.Values is not null).ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Values!.ToHashSet(StringComparer.OrdinalIgnoreCase));
        var problems = map.Validate(ourKeys, theirs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal), theirOptions, ourOptions).ToList();
        var readOnly = theirs.Where(p => p.ReadOnly).Select(p => p.Name).ToHashSet();
        problems.AddRange(map.Entries.Where(e => e.Direction is FieldDirection.Both or FieldDirection.Out && readOnly.Contains(e.Theirs))
            .Select(e => $"\"{e.Theirs}\" is read-only there: map it coming in only."));
        return problems;
    }
}
