using System.Text;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>Uploads, starts and runs imports through the use cases, as the page and the API do.</summary>
public static class ImportTestHost
{
    public static Task<ImportDraft> UploadAsync(this CrmTestHost host, TestWorkspace ws, string csv, RecordType type = RecordType.Contact, string fileName = "contacts.csv") =>
        host.UploadAsync(ws, Encoding.UTF8.GetBytes(csv), type, fileName);

    public static async Task<ImportDraft> UploadAsync(this CrmTestHost host, TestWorkspace ws, byte[] content, RecordType type, string fileName)
    {
        await using var stream = new MemoryStream(content);
        return await host.RunAsync<UploadImportHandler, ImportDraft>(ws.Admin(), h => h.HandleAsync(type, fileName, stream));
    }

    /// <param name="mapping">The test's own changes to the suggested mapping.</param>
    /// <param name="refuseRows">
    /// Rows with a value their column cannot take are refused, as the pipeline's error tests expect; false keeps the
    /// suggested mapping's choice (by default such a value is left empty and listed).
    /// </param>
    public static async Task<ImportView> ImportAsync(this CrmTestHost host, TestWorkspace ws, string csv, ImportOptions? options = null,
        RecordType type = RecordType.Contact, Func<ImportMapping, ImportMapping>? mapping = null, bool refuseRows = true)
    {
        var draft = await host.UploadAsync(ws, csv, type);
        var suggested = refuseRows ? RefusingRows(draft.Mapping) : draft.Mapping;
        var view = await host.RunAsync<StartImportHandler, ImportView>(ws.Admin(), h => h.HandleAsync(draft.ImportId,
            mapping is null ? suggested : mapping(suggested), options ?? draft.Options));
        await host.Jobs.RunAllAsync();
        await AssertNoDanglingReferencesAsync(host);
        return await host.RunAsync<GetImportHandler, ImportView>(ws.Admin(), h => h.HandleAsync(view.Id));
    }

    /// <summary>The mapping with every column refusing the row of a value it cannot take.</summary>
    public static ImportMapping RefusingRows(ImportMapping mapping) =>
        mapping with { Columns = mapping.Columns.Select(c => c with { OnInvalid = InvalidValueAction.RefuseRow }).ToList() };

    /// <summary>
    /// The SQLite writer leaves foreign keys unchecked (every id it writes was read or created by the import): every
    /// import a test runs proves that on the whole database.
    /// </summary>
    public static async Task AssertNoDanglingReferencesAsync(CrmTestHost host)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var check = new Microsoft.Data.Sqlite.SqliteCommand("PRAGMA foreign_key_check;", connection);
        await using var reader = await check.ExecuteReaderAsync();
        var dangling = new List<string>();
        while (await reader.ReadAsync()) dangling.Add($"{reader.GetString(0)} row {reader.GetInt64(1)} -> {reader.GetString(2)}");
        Assert.True(dangling.Count == 0, "Dangling references: " + string.Join("; ", dangling));
    }

    public static Task<PagedResult<ImportErrorView>> ErrorsAsync(this CrmTestHost host, TestWorkspace ws, long importId) =>
        host.RunAsync<ListImportErrorsHandler, PagedResult<ImportErrorView>>(ws.Admin(), h => h.HandleAsync(importId, 1, 200));

    public static async Task<ImportView> RollBackAsync(this CrmTestHost host, TestWorkspace ws, long importId, bool restoreChanged = false)
    {
        await host.RunAsync<StartRollbackHandler, ImportView>(ws.Admin(), h => h.HandleAsync(importId, restoreChanged));
        await host.Jobs.RunAllAsync();
        return await host.RunAsync<GetImportHandler, ImportView>(ws.Admin(), h => h.HandleAsync(importId));
    }
}
