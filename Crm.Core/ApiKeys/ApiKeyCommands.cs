using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.ApiKeys;

public sealed class NewApiKeyInput
{
    [Required(ErrorMessage = "Name the key after what uses it."), MaxLength(FieldLimits.Name)] public string? Name { get; set; }
    public UserRole Role { get; set; } = UserRole.Rep;
}

/// <param name="CreatorActive">
/// False when the person who created the key has been deactivated. Keys belong to the workspace, not to a person
/// (an integration must not stop when its author leaves), so the key still works; the page flags it for review.
/// </param>
public sealed record ApiKeyView(long Id, string Name, string Prefix, UserRole Role, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
    bool CreatorActive = true);

/// <summary>The key in clear, returned once at creation and never again.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

public sealed class ListApiKeysHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ApiKeyView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        return await db.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.Id)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.Role,
                db.Users.Where(u => u.Id == k.CreatedByUserId).Select(u => u.Name).FirstOrDefault(),
                k.CreatedAt, k.LastUsedAt, k.RevokedAt,
                k.CreatedByUserId == null || db.Users.Any(u => u.Id == k.CreatedByUserId && u.IsActive)))
            .ToListAsync(ct);
    }
}

public sealed class CreateApiKeyHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<CreatedApiKey> HandleAsync(NewApiKeyInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var (key, prefix, hash) = ApiKeyFormat.Generate();
        var apiKey = new ApiKey { Name = input.Name!.Trim(), Prefix = prefix, SecretHash = hash, Role = input.Role, CreatedByUserId = db.Actor.UserId, CreatedAt = time.GetUtcNow() };
        db.ApiKeys.Add(apiKey);
        await db.SaveChangesAsync(ct);
        var createdBy = await db.Users.Where(u => u.Id == apiKey.CreatedByUserId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        return new CreatedApiKey(new ApiKeyView(apiKey.Id, apiKey.Name, prefix, apiKey.Role, createdBy, apiKey.CreatedAt, null, null), key);
    }
}

public sealed class RevokeApiKeyHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var key = await db.ApiKeys.GetAsync(id, "API key", ct);
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
