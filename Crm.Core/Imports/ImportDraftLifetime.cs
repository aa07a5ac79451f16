using Crm.Core.Common;

namespace Crm.Core.Imports;

/// <summary>An upload waiting to be started: what it is, and when it is discarded if nobody starts it.</summary>
public sealed record ImportDraftView(long Id, RecordType ObjectType, string FileName, long FileSize, int TotalRows, string? CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>How long an upload nobody started is kept (its file with it): a day after it was last touched.</summary>
public static class ImportDraftLifetime
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);
}

/// <summary>The uploads of the workspace not started yet, newest first, each with the time it will be discarded.</summary>
public sealed class ListImportDraftsHandler(ICrmDbFactory dbFactory)
{
    public async Task<PagedResult<ImportDraftView>> HandleAsync(int page = 1, int pageSize = 25, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var lifetime = ImportDraftLifetime.Default;
        var drafts = await (from j in db.ImportJobs.Where(j => j.Status == ImportStatus.Draft)
                            join u in db.Users on j.CreatedByUserId equals u.Id into users
                            from u in users.DefaultIfEmpty()
                            orderby j.Id descending
                            select new { j.Id, j.ObjectType, j.FileName, j.FileSize, j.TotalRows, By = u == null ? null : u.Name, j.CreatedAt, j.UpdatedAt })
            .ToPageAsync(page, pageSize, ct);
        return new PagedResult<ImportDraftView>(
            drafts.Items.Select(d => new ImportDraftView(d.Id, d.ObjectType, d.FileName, d.FileSize, d.TotalRows, d.By, d.CreatedAt, d.UpdatedAt + lifetime)).ToList(),
            drafts.Total, drafts.Page, drafts.PageSize);
    }
}
