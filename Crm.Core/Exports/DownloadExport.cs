using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

/// <summary>An export's file, for a member of its workspace (an admin when the export was made admin-only).</summary>
public sealed record ExportFile(Stream Content, string FileName, string ContentType, long Length);

public sealed class ExportGoneException(string message) : Exception(message);

public sealed class ExportNotReadyException(string message) : Exception(message);

public sealed class DownloadExportHandler(ICrmDbFactory dbFactory, IFileStore files)
{
    public async Task<ExportFile> HandleAsync(long exportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var job = await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == exportId, ct) ?? throw new NotFoundException("Export", exportId);
        await ExportAccess.EnsureAllowedAsync(db, job.AdminOnly, ct);
        switch (job.Status)
        {
            case ExportStatus.Expired:
                throw new ExportGoneException($"This export expired on {job.ExpiresAt:yyyy-MM-dd HH:mm} UTC and its file was deleted. Export the list again.");
            case ExportStatus.Failed:
                throw new ExportGoneException(job.FailureReason ?? "This export failed; it has no file.");
            case not ExportStatus.Completed:
                throw new ExportNotReadyException("This export is still being written; its file can be downloaded once it is completed.");
        }
        if (job.FileKey is null || !files.Exists(job.FileKey))
            throw new ExportGoneException("This export's file is no longer there. Export the list again.");
        return new ExportFile(files.OpenRead(job.FileKey), job.FileName, ContentTypeOf(job.Format), job.FileSize);
    }

    public static string ContentTypeOf(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => "application/x-ndjson; charset=utf-8",
    };
}
