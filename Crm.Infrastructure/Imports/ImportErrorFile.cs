using System.Text;
using CsvHelper;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// The failed rows of an import exactly as they were uploaded (same columns, same values, same delimiter), plus an
/// "Error" column, ready to fix and import again. Rows and errors are merged in row order, streaming.
/// </summary>
public sealed class ImportErrorFile(CrmDatabase database, ITabularFileReader reader) : IImportErrorFile
{
    public async Task WriteAsync(ImportJob job, Stream output, CancellationToken ct)
    {
        var delimiter = job.Settings.Format == ImportFormat.Csv ? job.Settings.Delimiter ?? ',' : ',';
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
        await using var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = delimiter, NewLine = "\r\n" }, leaveOpen: true);
        csv.WriteRecord([.. job.Mapping.Columns.OrderBy(c => c.Index).Select(c => c.Header), "Error"]);

        await using var db = database.Create(Actor.System(job.WorkspaceId));
        var errors = db.ImportRowErrors.AsNoTracking().Where(e => e.ImportJobId == job.Id)
            .OrderBy(e => e.RowNumber).ThenBy(e => e.Id)
            .Select(e => new { e.RowNumber, e.Column, e.Message })
            .AsAsyncEnumerable().GetAsyncEnumerator(ct);
        var hasError = await errors.MoveNextAsync();
        if (!hasError) return;

        await foreach (var row in reader.ReadAsync(job.FileKey, job.Settings, job.Mapping.Columns.Count, ct))
        {
            if (row.RowNumber < errors.Current.RowNumber) continue;
            var messages = new List<string>();
            while (hasError && errors.Current.RowNumber == row.RowNumber)
            {
                messages.Add(errors.Current.Column is null ? errors.Current.Message : $"{errors.Current.Column}: {errors.Current.Message}");
                hasError = await errors.MoveNextAsync();
            }
            if (messages.Count > 0) csv.WriteRecord([.. row.Fields.Select(f => f ?? ""), string.Join(" | ", messages)]);
            if (!hasError) break;
        }
        await errors.DisposeAsync();
        await csv.FlushAsync(ct);
    }
}
