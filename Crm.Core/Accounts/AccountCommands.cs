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
                a.OwnerId, a.Owner != null ? a.Owner.Name : null, a.Version, a.CreatedSource, a.CreatedAt, a.UpdatedAt))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("Account", id);

    internal static async Task ApplyAsync(ICrmDb db, Account account, AccountInput input, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input);
        await References.CheckAsync(db, input.OwnerId, accountId: null, ct);
        account.Name = Text.Clean(input.Name) ?? throw new ValidationFailedException(nameof(AccountInput.Name), "Enter the company name.");
        account.Domain = Domains.Normalize(input.Domain);
        account.Phone = Text.Clean(input.Phone);
        account.Industry = Text.Clean(input.Industry);
        account.Street = Text.Clean(input.Street);
        account.City = Text.Clean(input.City);
        account.Region = Text.Clean(input.Region);
        account.PostalCode = Text.Clean(input.PostalCode);
        account.Country = Text.Clean(input.Country);
        account.OwnerId = input.OwnerId;
    }
}

public sealed class CreateAccountHandler(ICrmDbFactory dbFactory)
{
    public async Task<AccountDetails> HandleAsync(AccountInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = new Account();
        await GetAccountHandler.ApplyAsync(db, account, input, ct);
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
        await GetAccountHandler.ApplyAsync(db, account, input, ct);
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
