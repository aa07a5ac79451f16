using System.Text.Json.Nodes;
using Crm.Core.Common;

namespace Crm.Core.Contacts;

/// <summary>Changes only the fields a JSON merge patch names; the others keep their values, however old.</summary>
public sealed class PatchContactHandler(ICrmDbFactory dbFactory)
{
    /// <param name="expectedVersion">The version the caller read; null skips the check.</param>
    public async Task<ContactDetails> HandleAsync(long id, JsonNode? patch, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contact = await db.Contacts.GetAsync(id, "Contact", ct);
        Concurrency.Check("Contact", contact, expectedVersion);
        var (input, fields) = JsonMergePatch.Apply((await GetContactHandler.LoadAsync(db, id, ct)).ToInput(), patch);
        await ContactWriter.ApplyAsync(db, contact, input, fields, ct);
        await Concurrency.SaveAsync(db, "Contact", contact, ct);
        return await GetContactHandler.LoadAsync(db, id, ct);
    }
}
