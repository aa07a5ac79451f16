using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// A real HubSpot export has lifecycle stages and owners this CRM does not: a column told to leave what it cannot take
/// empty imports the row without that value, and lists it — nothing silently dropped, no row lost.
/// </summary>
public abstract class LeaveEmptyImportTests(Type writer) : WorkspaceTests(writer)
{
    private const string HubSpot = "Email,First Name,Lifecycle Stage,Contact owner,Phone Number\n" +
                                   "ada@example.com,Ada,Prospect,someone@outside.example,+44 20 7946 0958\n" +
                                   "grace@example.com,Grace,customer,,(202) 555-0147\n" +
                                   "linus@example.com,Linus,Partner,,not a phone\n";

    private static Func<ImportMapping, ImportMapping> LeaveEmpty(params string[] headers) => mapping => mapping with
    {
        Columns = mapping.Columns.Select(c => headers.Contains(c.Header) ? c with { OnInvalid = InvalidValueAction.LeaveEmpty } : c).ToList(),
    };

    [Fact]
    public async Task ValuesAColumnCannotTake_AreLeftEmpty_AndListed_WhenTheColumnSaysSo()
    {
        var import = await Host.ImportAsync(Ws, HubSpot, mapping: LeaveEmpty("Lifecycle Stage", "Contact owner"));

        // Linus's phone column still refuses its row; Ada comes in without her stage and owner.
        Assert.Equal((2, 1, 2), (import.RowsCreated, import.RowsFailed, import.ValuesLeftEmpty));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var ada = await db.Contacts.SingleAsync(c => c.Email == "ada@example.com");
        // The stage a new contact has when none is given; no owner.
        Assert.Equal((Lifecycle.Lead, (long?)null, "+442079460958"), (ada.Lifecycle, ada.OwnerId, ada.Phone));
        var errors = (await Host.ErrorsAsync(Ws, import.Id)).Items;
        Assert.Equal(2, errors.Count(e => e.Kept && e.RowNumber == 1));
        Assert.Contains(errors, e => e is { Kept: false, RowNumber: 3, Column: "Phone Number" });

        await using var file = new MemoryStream();
        await Host.Resolve<IImportErrorFile>().WriteAsync(await db.ImportJobs.SingleAsync(j => j.Id == import.Id), file, TestContext.Current.CancellationToken);
        var lines = System.Text.Encoding.UTF8.GetString(file.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Imported without Lifecycle Stage", lines[1]);
        Assert.Contains("Imported without Contact owner", lines[1]);
        Assert.StartsWith("linus@example.com", lines[2]);
    }

    [Fact]
    public async Task ByDefault_AValueAColumnCannotTake_IsLeftEmptyAndListed_AndItsRowImported_UnlessTheColumnRefusesRows()
    {
        // The suggested mapping as it comes: Ada without her stage and owner, Linus without his stage and phone.
        var import = await Host.ImportAsync(Ws, HubSpot, refuseRows: false);
        Assert.Equal((3, 0, 4), (import.RowsCreated, import.RowsFailed, import.ValuesLeftEmpty));

        // Columns set to refuse the row: only Grace comes in.
        var refused = await Host.ImportAsync(Ws, HubSpot.Replace("@example.com", "@refused.example"), refuseRows: true);
        Assert.Equal((1, 2, 0), (refused.RowsCreated, refused.RowsFailed, refused.ValuesLeftEmpty));
    }

    [Fact]
    public async Task TheSuggestedMapping_LeavesEmptyEveryColumnButTheOneRecordsAreMatchedBy()
    {
        var draft = await Host.UploadAsync(Ws, HubSpot);
        Assert.All(draft.Mapping.Columns, c => Assert.Equal(c.Field == draft.Options.MatchField ? InvalidValueAction.RefuseRow : InvalidValueAction.LeaveEmpty, c.OnInvalid));
        Assert.Equal("email", draft.Options.MatchField);
    }

    [Fact]
    public async Task AnUpdate_LeavesTheRecordsOwnValue_WhereTheFilesCannotBeTaken()
    {
        await Host.ImportAsync(Ws, "Email,First Name,Lifecycle Stage\nada@example.com,Ada,customer\n");

        var import = await Host.ImportAsync(Ws, "Email,First Name,Lifecycle Stage\nada@example.com,Ada Augusta,Partner\n",
            new ImportOptions { Strategy = DuplicateStrategy.Update }, mapping: LeaveEmpty("Lifecycle Stage"));

        Assert.Equal((1, 1), (import.RowsUpdated, import.ValuesLeftEmpty));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var ada = await db.Contacts.SingleAsync();
        Assert.Equal(("Ada Augusta", Lifecycle.Customer), (ada.FirstName, ada.Lifecycle));
    }

    [Fact]
    public async Task TheColumnRecordsAreMatchedBy_IsNeverLeftEmpty_ItsBadValueRefusesTheRow()
    {
        var import = await Host.ImportAsync(Ws, "Email,First Name\nnot-an-email,Ada\ngrace@example.com,Grace\n", mapping: LeaveEmpty("Email", "First Name"));

        Assert.Equal((1, 1, 0), (import.RowsCreated, import.RowsFailed, import.ValuesLeftEmpty));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Equal(["grace@example.com"], await db.Contacts.Select(c => c.Email).ToListAsync());
    }
}

public sealed class SqliteWriterLeaveEmptyImportTests() : LeaveEmptyImportTests(typeof(SqliteImportWriter));

public sealed class EfWriterLeaveEmptyImportTests() : LeaveEmptyImportTests(typeof(EfImportWriter));
