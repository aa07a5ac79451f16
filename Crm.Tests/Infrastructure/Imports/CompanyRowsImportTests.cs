using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// A contacts file that also lists companies — Odoo's "Is a company" rows, an address book's entry with only a company
/// name — makes (or finds) those accounts, with their address, instead of contacts named after companies.
/// </summary>
public abstract class CompanyRowsImportTests(Type writer) : WorkspaceTests(writer)
{
    [Fact]
    public async Task OdooExport_CompanyRows_BecomeAccountsWithTheirAddress_AndThePeopleLinkToThem()
    {
        var csv = await File.ReadAllTextAsync(Path.Combine(TestPaths.TestData, "csv", "odoo", "o2m_customers_contacts.csv"), TestContext.Current.CancellationToken);
        var import = await Host.ImportAsync(Ws, csv, refuseRows: false);

        Assert.Equal((5, 3, 0, 3), (import.RowsCreated, import.RowsSkipped, import.RowsFailed, import.AccountsCreated));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.False(await db.Contacts.AnyAsync(c => c.LastName == "Shelves" || c.LastName == "Wood"));
        var aurora = await db.Accounts.SingleAsync(a => a.Name == "Aurora Shelves");
        Assert.Equal(("25 Pacific Road", "San José", "95101", "California", "United States"), (aurora.Street, aurora.City, aurora.PostalCode, aurora.Region, aurora.Country));
        Assert.Equal(aurora.Id, (await db.Contacts.SingleAsync(c => c.LastName == "Martins")).AccountId);
        // Sharon comes after International Wood in the file, Roger after Aurora: one account each, never a second.
        Assert.Equal(1, await db.Accounts.CountAsync(a => a.Name == "International Wood"));
        Assert.Null((await db.Contacts.SingleAsync(c => c.LastName == "Mason")).AccountId);

        var rolledBack = await Host.RollBackAsync(Ws, import.Id);
        Assert.Equal(ImportStatus.RolledBack, rolledBack.Status);
        await using var after = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Equal(0, await after.Accounts.CountAsync());
        Assert.Equal(0, await after.Contacts.CountAsync(c => c.CreatedByImportId == import.Id));
    }

    [Fact]
    public async Task AddressBookEntry_WithOnlyACompany_BecomesThatAccount_OrFindsTheOneThatExists()
    {
        await using (var db = Host.Database.Create(Actor.System(Ws.Id, ChangeSource.User)))
        {
            db.Accounts.Add(new Account { Name = "Initech", City = "Austin" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        // A person named before their company's own row: the account still gets the company row's phone.
        const string csv = "First Name,Last Name,E-mail Address,Company,Business Phone\n" +
                           "Ada,Lovelace,ada@globex.example,Globex,\n" +
                           ",,,Globex,+1 303 555 0199\n" +
                           ",,,initech,+1 512 555 0100\n";
        var import = await Host.ImportAsync(Ws, csv, refuseRows: false);

        Assert.Equal((1, 2, 0, 1), (import.RowsCreated, import.RowsSkipped, import.RowsFailed, import.AccountsCreated));
        await using var check = Host.Database.Create(Actor.System(Ws.Id));
        var globex = await check.Accounts.SingleAsync(a => a.Name == "Globex");
        Assert.Equal("+13035550199", globex.Phone);
        Assert.Equal(globex.Id, (await check.Contacts.SingleAsync()).AccountId);
        // The existing account is found by name, case aside, and left as it was.
        var initech = await check.Accounts.SingleAsync(a => a.Name == "Initech");
        Assert.Equal(("Austin", (string?)null), (initech.City, initech.Phone));
    }

    [Fact]
    public async Task CompanyRow_WhenMissingAccountsAreNotCreated_IsRefused_NamingWhy()
    {
        var import = await Host.ImportAsync(Ws, "Name,Is a company\nAurora Shelves,1\nRoger Martins,0\n",
            new ImportOptions { CreateMissingAccounts = false, MatchField = "email" }, refuseRows: false);
        Assert.Equal((1, 1, 0), (import.RowsCreated, import.RowsFailed, import.AccountsCreated));
        var error = Assert.Single((await Host.ErrorsAsync(Ws, import.Id)).Items);
        Assert.Contains("The row is a company", error.Message);
    }
}

public sealed class SqliteWriterCompanyRowsImportTests() : CompanyRowsImportTests(typeof(SqliteImportWriter));

public sealed class EfWriterCompanyRowsImportTests() : CompanyRowsImportTests(typeof(EfImportWriter));
