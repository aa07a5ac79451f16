using System.Text;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>A finished import's problems summarised by column and sentence, with counts, each opening on its own rows.</summary>
public sealed class ImportErrorSummaryTests : WorkspaceTests
{
    [Fact]
    public async Task ThousandsOfTheSameProblem_AreOneLineWithItsCount_MostFrequentFirst_AndOpenOnTheirRows()
    {
        var csv = new StringBuilder("Email,First Name,Lifecycle Stage\n");
        for (var i = 0; i < 300; i++) csv.Append($"p{i}@example.com,P{i},subscriber-ish\n");
        csv.Append("not-an-email,Bad,lead\nalso bad,Worse,lead\n");
        var import = await Host.ImportAsync(Ws, csv.ToString(), refuseRows: false);
        Assert.Equal((300, 2, 300), (import.RowsCreated, import.RowsFailed, import.ValuesLeftEmpty));

        var summary = await Host.RunAsync<SummarizeImportErrorsHandler, ImportErrorSummary>(Ws.Admin(), h => h.HandleAsync(import.Id));
        Assert.Equal(3, summary.TotalGroups); // the stage, and each bad address (their sentences name them)
        var stage = summary.Groups[0];
        Assert.Equal(("Lifecycle Stage", true, 300, 2L), (stage.Column, stage.Kept, stage.Rows, stage.FirstLine));
        Assert.Contains("'subscriber-ish' is not a lifecycle stage", stage.Message);
        Assert.All(summary.Groups.Skip(1), g => Assert.Equal(("Email", false, 1), (g.Column, g.Kept, g.Rows)));

        var rows = await Host.RunAsync<ListImportErrorsHandler, PagedResult<ImportErrorView>>(Ws.Admin(), h => h.HandleAsync(import.Id, 1, 50, default, stage));
        Assert.Equal(300, rows.Total);
        Assert.All(rows.Items, r => Assert.Equal("subscriber-ish", r.Value));

        var other = await Host.CreateWorkspaceAsync("Globex");
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<SummarizeImportErrorsHandler, ImportErrorSummary>(other.Admin(), h => h.HandleAsync(import.Id)));
    }
}
