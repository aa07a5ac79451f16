using Crm.Core.Common;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>Push channels in the database; the secret is made here (256 bits), returned once and kept only as its hash.</summary>
public sealed class WebhookChannels(CrmDatabase database, TimeProvider time) : IWebhookChannels
{
    public async Task<string> OpenAsync(ConnectionRef connection, string channelId, string? resourceId, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        var secret = WebhookChannel.NewSecret();
        await AddAsync(connection, channelId, resourceId, secret, expiresAt, ct);
        return secret;
    }

    public async Task AddAsync(ConnectionRef connection, string channelId, string? resourceId, string secret, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        if (!await db.Integrations.AnyAsync(i => i.Id == connection.IntegrationId, ct)) throw new NotFoundException("Connection", connection.IntegrationId);
        db.WebhookChannels.Add(new WebhookChannel
        {
            IntegrationId = connection.IntegrationId, Provider = connection.Provider, ChannelId = channelId, ResourceId = resourceId,
            SecretHash = WebhookChannel.HashOf(secret), ExpiresAt = expiresAt, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<WebhookChannel>> FindByResourceAsync(string provider, string resourceId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.Anonymous);
        return await db.WebhookChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Provider == provider && c.ResourceId == resourceId && c.ExpiresAt > now).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<WebhookChannel>> OfConnectionAsync(ConnectionRef connection, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        return await db.WebhookChannels.AsNoTracking().Where(c => c.IntegrationId == connection.IntegrationId && c.Provider == connection.Provider).ToListAsync(ct);
    }

    public async Task RenewAsync(string provider, string channelId, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.WebhookChannels.IgnoreQueryFilters().Where(c => c.Provider == provider && c.ChannelId == channelId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, expiresAt), ct);
    }

    public async Task<WebhookChannel?> FindAsync(string provider, string channelId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.Anonymous);
        return await db.WebhookChannels.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(c => c.Provider == provider && c.ChannelId == channelId && c.ExpiresAt > now, ct);
    }

    public async Task CloseAsync(string provider, string channelId, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.WebhookChannels.IgnoreQueryFilters().Where(c => c.Provider == provider && c.ChannelId == channelId).ExecuteDeleteAsync(ct);
    }
}
