using System.Text.Json.Nodes;
using Crm.Core.Common;

namespace Crm.Core.Accounts;

/// <summary>Changes only the fields a JSON merge patch names; the others keep their values.</summary>
public sealed class PatchAccountHandler(ICrmDbFactory dbFactory)
{
    public async Task<AccountDetails> HandleAsync(long id, JsonNode? patch, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = await db.Accounts.GetAsync(id, "Account", ct);
        Concurrency.Check("Account", account, expectedVersion);
        var (input, fields) = JsonMergePatch.Apply((await GetAccountHandler.LoadAsync(db, id, ct)).ToInput(), patch);
        await AccountWriter.ApplyAsync(db, account, input, fields, ct);
        await Concurrency.SaveAsync(db, "Account", account, ct);
        return await GetAccountHandler.LoadAsync(db, id, ct);
    }
}
