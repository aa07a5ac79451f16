using System.Text;
using CsvHelper;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// The failed rows of an import — and the rows imported without a value their column could not take — as they were uploaded (same columns, same values, same delimiter), plus an "Error"
/// column, ready to fix and import again. Rows and errors are merged in row order, streaming. A row with fewer values
/// than the header is padded so its error stays under "Error"; a row with more keeps them all, its error after them.
/// Values a spreadsheet would run as formulas get the export's apostrophe (our import takes it off again).
/// </summary>
public sealed class ImportErrorFile(CrmDatabase database, ITabularFileReader reader) : IImportErrorFile
{
    public async Task WriteAsync(ImportJob job, Stream output, CancellationToken ct)
    {
        var delimiter = job.Settings.Format == ImportFormat.Csv ? job.Settings.Delimiter ?? ',' : ',';
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
        await using var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = delimiter, NewLine = "\r\n", ValidateFieldCount = false }, leaveOpen: true);
        var width = job.Mapping.Columns.Count;
        csv.WriteRecord([.. job.Mapping.Columns.OrderBy(c => c.Index).Select(c => FormulaText.Guard(c.Header)), "Error"]);

        await using var db = database.Create(Actor.System(job.WorkspaceId));
        var errors = db.ImportRowErrors.AsNoTracking().Where(e => e.ImportJobId == job.Id)
            .OrderBy(e => e.RowNumber).ThenBy(e => e.Id)
            .Select(e => new { e.RowNumber, e.Column, e.Message, e.Kept })
            .AsAsyncEnumerable().GetAsyncEnumerator(ct);
        var hasError = await errors.MoveNextAsync();
        if (!hasError) return;

        await foreach (var row in reader.ReadAsync(job.FileKey, job.Settings, job.Mapping.Columns.Count, ct))
        {
            if (row.RowNumber < errors.Current.RowNumber) continue;
            var messages = new List<string>();
            while (hasError && errors.Current.RowNumber == row.RowNumber)
            {
                var error = errors.Current;
                messages.Add(error.Kept ? $"Imported without {error.Column}: {error.Message}"
                    : error.Column is null ? error.Message : $"{error.Column}: {error.Message}");
                hasError = await errors.MoveNextAsync();
            }
            if (messages.Count > 0)
            {
                var values = row.Fields.Select(f => FormulaText.Guard(f ?? "")).ToList();
                while (values.Count < width) values.Add("");
                csv.WriteRecord([.. values, FormulaText.Guard(string.Join(" | ", messages))]);
            }
            if (!hasError) break;
        }
        await errors.DisposeAsync();
        await csv.FlushAsync(ct);
    }
}
