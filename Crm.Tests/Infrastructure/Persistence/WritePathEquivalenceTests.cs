using System.Data.Common;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Persistence;

/// <summary>
/// The three ways a record is written — an ordinary save (the record-keeping interceptor), an import through EF and
/// an import through prepared SQLite statements — share one definition of a write: the same change through each
/// leaves the same rows, versions and history.
/// </summary>
public class WritePathEquivalenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 30, 0, TimeSpan.Zero);

    /// <summary>Set by each path, not by the write's rules: which import created a row (none for an ordinary save).</summary>
    private static readonly HashSet<string> PathOwnColumns = ["CreatedByImportId"];

    private sealed record Outcome(List<string> Contacts, List<string> Accounts, List<string> AdaHistory, List<string> GraceHistory);

    [Fact]
    public async Task SameChange_ThroughSaveEfImportAndSqliteImport_LeavesIdenticalRowsVersionsAndHistory()
    {
        var saved = await WriteAsync(writer: null, async (host, ws, adaId) =>
        {
            // What the import does, written by hand as an ordinary save by the same actor.
            await using var db = host.Database.Create(ws.Admin(ChangeSource.Import) with { SourceRef = ImportJob.SourceRefOf(1) });
            var ada = await db.Contacts.SingleAsync(c => c.Id == adaId);
            ada.LastName = "Lovelace";
            ada.JobTitle = "Countess";
            var navy = new Account { Name = "US Navy" };
            db.Contacts.Add(new Contact { FirstName = "Grace", LastName = "Hopper", Email = "grace@navy.example", JobTitle = "Rear Admiral", Account = navy });
            await db.SaveChangesAsync();
        });
        var efImport = await WriteAsync(typeof(EfImportWriter), ImportAsync);
        var sqliteImport = await WriteAsync(typeof(SqliteImportWriter), ImportAsync);

        Assert.Equal(saved.Contacts, efImport.Contacts);
        Assert.Equal(saved.Contacts, sqliteImport.Contacts);
        Assert.Equal(saved.Accounts, efImport.Accounts);
        Assert.Equal(saved.Accounts, sqliteImport.Accounts);
        Assert.Equal(saved.AdaHistory, efImport.AdaHistory);
        Assert.Equal(saved.AdaHistory, sqliteImport.AdaHistory);
        Assert.Equal(saved.GraceHistory, sqliteImport.GraceHistory);
        Assert.Equal(saved.GraceHistory, efImport.GraceHistory);
        // The comparison has something to compare: Ada moved one version with both fields in her history.
        Assert.Contains(saved.AdaHistory, h => h.Contains("JobTitle: Analyst -> Countess", StringComparison.Ordinal));
        Assert.Contains(saved.Contacts, c => c.Contains("Version=1", StringComparison.Ordinal) && c.Contains("Countess", StringComparison.Ordinal));
    }

    private static async Task ImportAsync(CrmTestHost host, TestWorkspace ws, long adaId)
    {
        var import = await host.ImportAsync(ws,
            "First Name,Last Name,Email,Job Title,Company Name\n" +
            "Ada,Lovelace,ada@example.com,Countess,\n" +
            "Grace,Hopper,grace@navy.example,Rear Admiral,US Navy\n");
        Assert.Equal(ImportStatus.Completed, import.Status);
        Assert.Equal(1, import.Id);
    }

    private static async Task<Outcome> WriteAsync(Type? writer, Func<CrmTestHost, TestWorkspace, long, Task> write)
    {
        await using var host = await CrmTestHost.StartAsync(writer: writer);
        var ws = await host.CreateWorkspaceAsync("Acme");
        var ada = await host.RunAsync<CreateContactHandler, ContactDetails>(ws.Admin(),
            h => h.HandleAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" }));
        // One instant for the whole write, so each path's number of clock reads does not matter.
        host.Time.AutoAdvanceAmount = TimeSpan.Zero;
        host.Time.SetUtcNow(Now);

        await write(host, ws, ada.Id);

        await using var db = host.Database.Create(Actor.System(ws.Id));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var graceId = await db.Contacts.Where(c => c.Email == "grace@navy.example").Select(c => c.Id).SingleAsync();
        return new Outcome(
            await RowsAsync(connection, "Contacts", ws.Id),
            await RowsAsync(connection, "Accounts", ws.Id),
            await HistoryAsync(host, ws, ada.Id),
            await HistoryAsync(host, ws, graceId));
    }

    /// <summary>Every column of every row of the workspace, as stored.</summary>
    private static async Task<List<string>> RowsAsync(DbConnection connection, string table, long workspaceId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"WorkspaceId\" = {workspaceId} ORDER BY \"Id\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("; ", Enumerable.Range(0, reader.FieldCount)
                .Where(i => !PathOwnColumns.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}")));
        return rows;
    }

    /// <summary>The record's history as a reader sees it, one line per changed field with when, who and through what.</summary>
    private static async Task<List<string>> HistoryAsync(CrmTestHost host, TestWorkspace ws, long contactId)
    {
        var history = await host.RunAsync<GetRecordHistoryHandler, RecordHistory>(ws.Admin(), h => h.HandleAsync(RecordType.Contact, contactId));
        var lines = history.Changes.Items.SelectMany(entry => entry.AllFields.Select(f =>
            $"{entry.ChangedAt:O} {entry.Source} {entry.ActorUserId} {entry.SourceRef} {f.Field}: {f.OldValue} -> {f.NewValue}")).Order(StringComparer.Ordinal).ToList();
        lines.Add($"created {history.CreatedAt:O} {history.CreatedSource} {history.CreatedByName}");
        return lines;
    }
}
