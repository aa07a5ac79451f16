using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// A column of an accounts or deals file can become (or fill) a custom field of accounts or deals, as a contacts file's
/// can: the values land on the records, an update changes them, and a rollback puts the earlier values back.
/// </summary>
public abstract class AccountAndDealCustomFieldImportTests(Type writer) : WorkspaceTests(writer)
{
    private static Func<ImportMapping, ImportMapping> NewField(string header) =>
        m => m with { Columns = m.Columns.Select(c => c.Header == header ? c with { Field = null, NewCustomFieldLabel = header } : c).ToList() };

    [Fact]
    public async Task AccountsFile_ColumnBecomesAnAccountField_UpdatesChangeIt_AndRollbackPutsItBack()
    {
        var draft = await Host.UploadAsync(Ws, "Name,Domain,Tier\nGlobex,globex.example,Gold\n", RecordType.Account, "accounts.csv");
        Assert.Contains(draft.Fields, f => f.Key == "name");

        var first = await Host.ImportAsync(Ws, "Name,Domain,Tier\nGlobex,globex.example,Gold\nInitech,initech.example,Silver\n", type: RecordType.Account, mapping: NewField("Tier"));
        Assert.Equal(2, first.RowsCreated);
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
        {
            Assert.Equal(["Gold", "Silver"], (await db.Accounts.OrderBy(a => a.Name).ToListAsync(TestContext.Current.CancellationToken)).Select(a => a.CustomFields["tier"]));
            Assert.Equal("Tier", (await db.CustomFieldDefinitions.SingleAsync(d => d.RecordType == RecordType.Account, TestContext.Current.CancellationToken)).Label);
        }

        // The second file's header is now the field's own label: it maps without being told.
        var second = await Host.ImportAsync(Ws, "Name,Domain,Tier\nGlobex,globex.example,Platinum\n", new ImportOptions { MatchField = "domain" }, RecordType.Account);
        Assert.Equal(1, second.RowsUpdated);
        Assert.Equal("Platinum", await TierAsync("Globex"));

        await Host.RollBackAsync(Ws, second.Id);
        Assert.Equal("Gold", await TierAsync("Globex"));
    }

    [Fact]
    public async Task DealsFile_ColumnBecomesADealField()
    {
        var import = await Host.ImportAsync(Ws, "Deal Name,Amount,Source campaign\nRenewal 2027,1200,Spring webinar\n", type: RecordType.Deal, mapping: NewField("Source campaign"));

        Assert.Equal(1, import.RowsCreated);
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var deal = await db.Deals.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Spring webinar", deal.CustomFields["source_campaign"]);
    }

    private async Task<string?> TierAsync(string name)
    {
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        return (await db.Accounts.SingleAsync(a => a.Name == name, TestContext.Current.CancellationToken)).CustomFields.GetValueOrDefault("tier");
    }
}

public sealed class SqliteWriterAccountAndDealCustomFieldImportTests() : AccountAndDealCustomFieldImportTests(typeof(SqliteImportWriter));

public sealed class EfWriterAccountAndDealCustomFieldImportTests() : AccountAndDealCustomFieldImportTests(typeof(EfImportWriter));
