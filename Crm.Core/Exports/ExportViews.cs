using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

public sealed record ExportView(
    long Id, ExportFormat Format, IReadOnlyList<ExportObject> Objects, string Description, ExportStatus Status,
    int TotalRows, int RowsWritten, long FileSize, string FileName, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt, string? CreatedBy, string? FailureReason, bool AdminOnly)
{
    public bool IsActive => Status is ExportStatus.Pending or ExportStatus.Processing;
    public bool CanDownload => Status == ExportStatus.Completed;
    public int Percent => Status == ExportStatus.Completed ? 100 : TotalRows == 0 ? 0 : (int)Math.Min(99, RowsWritten * 100L / TotalRows);
}

internal static class ExportViews
{
    public static async Task<ExportView> ViewAsync(ICrmDb db, long exportId, CancellationToken ct) =>
        (await ViewsAsync(db, db.ExportJobs.Where(j => j.Id == exportId), ct)).SingleOrDefault() ?? throw new NotFoundException("Export", exportId);

    public static async Task<IReadOnlyList<ExportView>> ViewsAsync(ICrmDb db, IQueryable<ExportJob> jobs, CancellationToken ct)
    {
        var rows = await jobs.AsNoTracking().ToListAsync(ct);
        var userIds = rows.Select(r => r.CreatedByUserId).OfType<long>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        // While an export is written its progress is its run's.
        var writing = rows.Where(r => r.Status == ExportStatus.Processing).Select(r => r.Id).ToList();
        var progress = writing.Count == 0 ? [] : (await db.Runs.AsNoTracking()
                .Where(r => r.Kind == Runs.RunKind.Export && writing.Contains(r.SubjectId) && r.Status == Runs.RunStatus.Running)
                .Select(r => new { r.SubjectId, r.Done }).ToListAsync(ct))
            .DistinctBy(r => r.SubjectId).ToDictionary(r => r.SubjectId, r => (int)Math.Min(int.MaxValue, r.Done));
        return rows.Select(j => new ExportView(j.Id, j.Format, j.Parts.Select(p => p.Object).ToList(), Describe(j), j.Status, j.TotalRows,
            progress.TryGetValue(j.Id, out var done) ? done : j.RowsWritten,
            j.FileSize, j.FileName, j.CreatedAt, j.CompletedAt, j.ExpiresAt, j.CreatedByUserId is { } id ? names.GetValueOrDefault(id) : null,
            j.FailureReason, j.AdminOnly)).ToList();
    }

    /// <summary>"contacts (search “ada”, owner 3, sorted by -updatedAt), 6 columns".</summary>
    public static string Describe(ExportJob job) => string.Join("; ", job.Parts.Select(p =>
    {
        var f = p.Filter;
        var filters = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Search)) filters.Add($"search “{f.Search}”");
        if (f.Lifecycle is { } lifecycle) filters.Add($"lifecycle {lifecycle.ToString().ToLowerInvariant()}");
        if (f.OwnerId is not null) filters.Add("one owner");
        if (f.AccountId is not null) filters.Add("one account");
        if (f.Industry is not null) filters.Add($"industry {f.Industry}");
        if (f.PipelineId is not null) filters.Add("one pipeline");
        if (f.StageId is not null) filters.Add("one stage");
        if (f.ContactId is not null) filters.Add("one contact");
        if (f.DealId is not null) filters.Add("one deal");
        if (f.ActivityType is { } type) filters.Add(type.ToString().ToLowerInvariant() + "s");
        if (!string.IsNullOrWhiteSpace(f.Sort)) filters.Add($"sorted by {f.Sort}");
        return $"{ExportFields.Plural(p.Object)}{(filters.Count > 0 ? $" ({string.Join(", ", filters)})" : "")}, {p.Fields.Count} columns";
    }));
}
