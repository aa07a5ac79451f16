using System.Text;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>HubSpot's limits: 1,048,576 data rows and 512 MB per file.</summary>
public class ImportLimitsTests : WorkspaceTests
{
    [Fact]
    public async Task AFileWithOneRowTooMany_IsRefused_AndItsUploadDeleted()
    {
        var csv = new StringBuilder("Email\n", 2 * (ImportLimits.MaxRows + 2));
        for (var i = 0; i <= ImportLimits.MaxRows; i++) csv.Append("x\n");

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.UploadAsync(Ws, csv.ToString()));

        Assert.Equal("The file has more than 1,048,576 data rows, the most one import takes. Split it into several files.", error.Errors["File"].Single());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Host.Directory, "files"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AFileAtTheLimit_IsTaken()
    {
        var csv = new StringBuilder("Email\n", 2 * (ImportLimits.MaxRows + 2));
        for (var i = 0; i < ImportLimits.MaxRows; i++) csv.Append("x\n");

        var draft = await Host.UploadAsync(Ws, csv.ToString());

        Assert.Equal(ImportLimits.MaxRows, draft.TotalRows);
    }

    [Theory]
    [InlineData("contacts.pdf")]
    [InlineData("contacts.xls")]
    [InlineData("contacts")]
    public async Task AFileOfAnotherKind_IsRefusedByItsName(string fileName)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.UploadAsync(Ws, "Email\na@example.com\n", RecordType.Contact, fileName));

        Assert.Contains("Upload a .csv, .tsv, .txt or .xlsx file", error.Errors["File"].Single());
    }

    [Fact]
    public async Task ARep_CannotUpload()
    {
        var rep = await Host.RunAsync<Crm.Core.Users.CreateUserHandler, Crm.Core.Users.UserView>(Ws.Admin(),
            h => h.HandleAsync(new Crm.Core.Users.NewUserInput { Name = "Riley Rep", Email = "riley@acme.example", Role = Crm.Core.Users.UserRole.Rep }));
        await using var stream = new MemoryStream("Email\na@example.com\n"u8.ToArray());

        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<UploadImportHandler, ImportDraft>(
            new Actor(Ws.Id, rep.Id, Crm.Core.Users.UserRole.Rep, ChangeSource.User), h => h.HandleAsync(RecordType.Contact, "a.csv", stream)));
    }
}
