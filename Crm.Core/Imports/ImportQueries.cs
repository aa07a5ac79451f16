using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Imports;

public static class ImportQueries
{
    public static async Task<ImportView> ViewAsync(ICrmDb db, long importId, CancellationToken ct) =>
        (await ViewsAsync(db, db.ImportJobs.Where(j => j.Id == importId), ct)).SingleOrDefault() ?? throw new NotFoundException("Import", importId);

    public static async Task<IReadOnlyList<ImportView>> ViewsAsync(ICrmDb db, IQueryable<ImportJob> jobs, CancellationToken ct)
    {
        var rows = await jobs.AsNoTracking().ToListAsync(ct);
        var userIds = rows.SelectMany(j => new[] { j.CreatedByUserId, j.RolledBackByUserId }).OfType<long>().Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        // A rollback that stopped on an error says why, from its run.
        var rollingBack = rows.Where(j => j.Status == ImportStatus.RollingBack).Select(j => j.Id).ToList();
        var rollbacks = rollingBack.Count == 0 ? [] : (await db.Runs.AsNoTracking()
                .Where(r => r.Kind == Runs.RunKind.ImportRollback && rollingBack.Contains(r.SubjectId) && (r.Status == Runs.RunStatus.Queued || r.Status == Runs.RunStatus.Running))
                .ToListAsync(ct))
            .GroupBy(r => r.SubjectId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);
        return rows.Select(j => Of(j, j.CreatedByUserId is { } c ? names.GetValueOrDefault(c) : null, j.RolledBackByUserId is { } r ? names.GetValueOrDefault(r) : null,
            RollbackRules.ErrorOf(rollbacks.GetValueOrDefault(j.Id)))).ToList();
    }

    /// <summary>Rate and time left from the job's own counters and timestamps (progress lives in the database).</summary>
    public static ImportView Of(ImportJob j, string? createdBy, string? rolledBackBy, string? rollbackError = null)
    {
        double? rate = null;
        TimeSpan? left = null;
        TimeSpan? duration = null;
        if (j.StartedAt is { } started)
        {
            // Every committed batch stamps the job: its last commit is how far the run has got.
            var end = j.CompletedAt ?? (j.UpdatedAt > started ? j.UpdatedAt : started);
            duration = end - started;
            if (duration.Value.TotalSeconds >= 0.5 && j.RowsProcessed > 0) rate = j.RowsProcessed / duration.Value.TotalSeconds;
            if (j.Status == ImportStatus.Running && rate is > 0 && j.TotalRows > j.RowsProcessed)
                left = TimeSpan.FromSeconds((j.TotalRows - j.RowsProcessed) / rate.Value);
        }
        return new ImportView(j.Id, j.ObjectType, j.FileName, j.FileSize, j.Status, j.TotalRows, j.RowsProcessed, j.RowsCreated, j.RowsUpdated,
            j.RowsSkipped, j.RowsFailed, j.AccountsCreated, rate, left, duration, j.CreatedAt, j.StartedAt, j.CompletedAt, createdBy, j.FailureReason,
            j.CancelRequested, j.Options.Strategy, j.Options.MatchField, j.RolledBackAt, rolledBackBy, j.RollbackDeleted, j.RollbackRestored, j.RollbackKeptChanged,
            rollbackError, j.BlankRows, j.ValuesLeftEmpty);
    }
}

public sealed class GetImportHandler(ICrmDbFactory dbFactory)
{
    public async Task<ImportView> HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        return await ImportQueries.ViewAsync(db, importId, ct);
    }
}

/// <summary>The import history, newest first (drafts left unfinished are not listed).</summary>
public sealed class ListImportsHandler(ICrmDbFactory dbFactory)
{
    public async Task<PagedResult<ImportView>> HandleAsync(int page = 1, int pageSize = 25, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        (page, pageSize) = Paging.Normalize(page, pageSize);
        var jobs = db.ImportJobs.Where(j => j.Status != ImportStatus.Draft);
        var total = await jobs.CountAsync(ct);
        var views = await ImportQueries.ViewsAsync(db, jobs.OrderByDescending(j => j.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize), ct);
        return new PagedResult<ImportView>(views, total, page, pageSize);
    }
}

public sealed class ListImportErrorsHandler(ICrmDbFactory dbFactory)
{
    /// <param name="group">Only the rows of one problem (<see cref="SummarizeImportErrorsHandler"/>).</param>
    public async Task<PagedResult<ImportErrorView>> HandleAsync(long importId, int page = 1, int pageSize = 50, CancellationToken ct = default, ImportErrorGroup? group = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        await db.ImportJobs.GetAsync(importId, "Import", ct);
        var errors = db.ImportRowErrors.AsNoTracking().Where(e => e.ImportJobId == importId);
        if (group is not null)
            errors = errors.Where(e => e.Column == group.Column && e.Type == group.Type && e.Kept == group.Kept && e.Message == group.Message);
        return await errors
            .OrderBy(e => e.RowNumber).ThenBy(e => e.Id)
            .Select(e => new ImportErrorView(e.RowNumber, e.LineNumber, e.Column, e.Value, e.Type, e.Message, e.Kept))
            .ToPageAsync(page, pageSize, ct);
    }
}

/// <summary>Asks a running import to stop after its current batch (a queued one stops at once). What it wrote stays, and can be rolled back.</summary>
public sealed class CancelImportHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<ImportView> HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        switch (job.Status)
        {
            case ImportStatus.Queued:
                job.Status = ImportStatus.Cancelled;
                job.CompletedAt = time.GetUtcNow();
                break;
            case ImportStatus.Running:
                job.CancelRequested = true;
                break;
            default:
                throw new ValidationFailedException("Status", "Only a queued or running import can be cancelled.");
        }
        await db.SaveChangesAsync(ct);
        return await ImportQueries.ViewAsync(db, importId, ct);
    }
}

/// <summary>The failed rows as uploaded, plus the reason, as a CSV to fix and import again.</summary>
public sealed class DownloadImportErrorsHandler(ICrmDbFactory dbFactory, IImportErrorFile errorFile)
{
    public async Task<string> HandleAsync(long importId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.AsNoTracking().GetAsync(importId, "Import", ct);
        await errorFile.WriteAsync(job, output, ct);
        return Path.GetFileNameWithoutExtension(job.FileName) + "-errors.csv";
    }
}
