using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <summary>How one of their owners came to be mapped: by the same email, by an admin, or not at all (the fallback admin takes their records).</summary>
public enum OwnerMatch { Email, Admin, Unmapped }

public sealed record OwnerMappingRow(string ExternalId, string? Email, long? UserId, string? UserName, OwnerMatch Match);

public sealed record UserChoice(long Id, string Name, string Email, bool IsAdmin);

/// <summary>The owner table of a CRM connection: their owners, ours, and who takes a record whose owner maps to nobody.</summary>
public sealed record OwnerMappingView(IReadOnlyList<OwnerMappingRow> Owners, long? FallbackUserId, string? FallbackUserName, IReadOnlyList<UserChoice> Users);

public sealed class OwnerMappingInput
{
    /// <summary>Their owner id → our user id (null: nobody, their records go to the fallback). Owners not named keep email matching.</summary>
    public Dictionary<string, long?>? Owners { get; set; }
    /// <summary>The admin records take when their owner maps to nobody; null: the first admin.</summary>
    public long? FallbackUserId { get; set; }
}

/// <summary>
/// The seed's ownership rules (Q3) with an admin's corrections: their owners matched to our users by email, then the
/// admin's table over it; records whose owner maps to nobody go to the chosen admin (else the first admin).
/// </summary>
public static class OwnerMapping
{
    public static Dictionary<string, long?> Parse(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, long?>>(json) ?? [];

    public static OwnerRules Rules(IReadOnlyList<(string Id, string? Email)> theirs, IReadOnlyList<(long Id, string Email, bool IsAdmin)> users,
        IReadOnlyDictionary<string, long?> overrides, long? fallback)
    {
        var active = users.Select(u => u.Id).ToHashSet();
        var map = OwnerRules.MatchByEmail(theirs, users.Select(u => (u.Id, u.Email)));
        foreach (var (external, user) in overrides)
            if (user is { } id && active.Contains(id)) map[external] = id;
            else map.Remove(external);
        var fallbackUser = fallback is { } f && active.Contains(f) ? f
            : users.Where(u => u.IsAdmin).Select(u => u.Id).DefaultIfEmpty(users.Select(u => u.Id).FirstOrDefault()).First();
        return new OwnerRules(map, fallbackUser);
    }
}

/// <summary>The owner table as the connection's page shows it (admins only): one call for their owners.</summary>
public sealed class GetOwnerMappingHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public async Task<OwnerMappingView> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (row.Type != IntegrationType.CrmSync || services.GetKeyedService<IRemoteObjects>($"{row.Provider}:contacts") is not IRemoteOwners remote)
            throw new ConflictException("Only a CRM sync has owners to map.");
        if (row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect) throw new ConflictException("Reconnect this connection to see its owners.");
        var theirs = await remote.OwnersAsync(new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider), ct);
        var users = await db.Users.Where(u => u.IsActive).OrderBy(u => u.Name).Select(u => new UserChoice(u.Id, u.Name, u.Email, u.Role == UserRole.Admin)).ToListAsync(ct);
        var overrides = OwnerMapping.Parse(row.OwnerMap);
        var byEmail = OwnerRules.MatchByEmail(theirs, users.Select(u => (u.Id, u.Email)));
        var rules = OwnerMapping.Rules(theirs, users.Select(u => (u.Id, u.Email, u.IsAdmin)).ToList(), overrides, row.FallbackOwnerUserId);
        var names = users.ToDictionary(u => u.Id, u => u.Name);
        var rows = theirs.Select(o =>
        {
            var (user, source) = rules.Incoming(o.Id);
            var mapped = source == OwnerRules.Source.Mapped ? user : (long?)null;
            var match = mapped is null ? OwnerMatch.Unmapped : overrides.ContainsKey(o.Id) || !byEmail.ContainsKey(o.Id) ? OwnerMatch.Admin : OwnerMatch.Email;
            return new OwnerMappingRow(o.Id, o.Email, mapped, mapped is { } m ? names.GetValueOrDefault(m) : null, match);
        }).ToList();
        var fallback = rules.Incoming(null).UserId;
        return new OwnerMappingView(rows, fallback == 0 ? null : fallback, names.GetValueOrDefault(fallback), users);
    }
}

/// <summary>Saves an admin's corrections to the owner table and the fallback admin; applied from the next run on.</summary>
public sealed class SaveOwnerMappingHandler(ICrmDbFactory dbFactory)
{
    public const int MaxOwners = 5_000;

    public async Task HandleAsync(long integrationId, OwnerMappingInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (row.Type != IntegrationType.CrmSync) throw new ConflictException("Only a CRM sync has owners to map.");
        var owners = input.Owners ?? [];
        if (owners.Count > MaxOwners || owners.Keys.Any(k => k.Length is 0 or > 64))
            throw new ValidationFailedException("Owners", $"Map at most {MaxOwners:N0} owners, each by its id there.");
        var named = owners.Values.OfType<long>().Append(input.FallbackUserId ?? 0).Where(id => id != 0).Distinct().ToList();
        var users = await db.Users.Where(u => named.Contains(u.Id) && u.IsActive).Select(u => new { u.Id, u.Role }).ToListAsync(ct);
        if (named.Except(users.Select(u => u.Id)).ToList() is { Count: > 0 } unknown)
            throw new ValidationFailedException("Owners", $"User(s) {string.Join(", ", unknown)} are not active users of this workspace.");
        if (input.FallbackUserId is { } fallback && users.Single(u => u.Id == fallback).Role != UserRole.Admin)
            throw new ValidationFailedException("FallbackUserId", "Records without a mapped owner go to an admin: choose one.");
        row.OwnerMap = owners.Count == 0 ? null : JsonSerializer.Serialize(owners);
        row.FallbackOwnerUserId = input.FallbackUserId;
        await db.SaveChangesAsync(ct);
    }
}
