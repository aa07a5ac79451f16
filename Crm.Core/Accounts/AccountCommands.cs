using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Accounts;

public sealed class GetAccountHandler(ICrmDbFactory dbFactory)
{
    /// <remarks>An account merged into another throws <see cref="Duplicates.RecordMergedException"/>: its old id leads to the winner.</remarks>
    public async Task<AccountDetails> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        try
        {
            return await LoadAsync(db, id, ct);
        }
        catch (NotFoundException)
        {
            var winner = await db.Accounts.IgnoreQueryFilters(["SoftDelete"]).Where(a => a.Id == id && a.MergedIntoId != null).Select(a => a.MergedIntoId).SingleOrDefaultAsync(ct);
            if (winner is { } winnerId) throw new Duplicates.RecordMergedException("Account", id, await Duplicates.Tombstones.FinalAsync(db.Accounts, winnerId, ct));
            throw;
        }
    }

    internal static async Task<AccountDetails> LoadAsync(ICrmDb db, long id, CancellationToken ct) =>
        await db.Accounts.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new AccountDetails(
                a.Id, a.Name, a.Domain, a.Phone, a.Industry, a.Street, a.City, a.Region, a.PostalCode, a.Country,
                a.OwnerId, a.Owner != null ? a.Owner.Name : null, a.CustomFields, a.Version, a.CreatedSource, a.CreatedAt, a.UpdatedAt))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("Account", id);
}

public sealed class CreateAccountHandler(ICrmDbFactory dbFactory)
{
    public async Task<AccountDetails> HandleAsync(AccountInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = new Account();
        await AccountWriter.ApplyAsync(db, account, input, ct);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return await GetAccountHandler.LoadAsync(db, account.Id, ct);
    }
}

public sealed class UpdateAccountHandler(ICrmDbFactory dbFactory)
{
    public async Task<AccountDetails> HandleAsync(long id, AccountInput input, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = await db.Accounts.GetAsync(id, "Account", ct);
        Concurrency.Check("Account", account, expectedVersion);
        await AccountWriter.ApplyAsync(db, account, input, ct);
        await Concurrency.SaveAsync(db, "Account", account, ct);
        return await GetAccountHandler.LoadAsync(db, id, ct);
    }
}

/// <summary>Soft-deletes the account. Its contacts and deals keep the link, so restoring it restores the picture.</summary>
public sealed class DeleteAccountHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.DeleteAsync(db.Accounts, id, expectedVersion, "Account", ct);
    }
}
