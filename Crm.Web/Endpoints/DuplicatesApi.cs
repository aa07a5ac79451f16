using Crm.Core.Common;
using Crm.Core.Duplicates;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

public static class DuplicatesApi
{
    /// <summary>Fold <see cref="DuplicateId"/> into the record of the URL; per field (e.g. "Email", "custom.shoe_size"), "winner" or "loser".</summary>
    public sealed record MergeApiRequest(long DuplicateId, Dictionary<string, MergeSide>? Choices = null);

    public sealed record DismissGroupRequest(string? Type, string? Rule, string? Key);

    public sealed record ReopenRequest(List<long>? Ids);

    public static RouteGroupBuilder MapDuplicatesApi(this RouteGroupBuilder api)
    {
        var duplicates = api.MapGroup("/duplicates").WithTags("Duplicates");
        duplicates.MapGet("/", async (string? type, string? search, string? rule, string? key, int? page, int? pageSize, ListDuplicatesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(ApiEnums.Parse<RecordType>(type, "type"), page ?? 1, pageSize ?? 25, ct, search, rule, key)))
            .WithName("ListDuplicates").WithSummary("The review queue: likely duplicate pairs, most certain first, with their reasons (rule and key: one group's pairs)");
        duplicates.MapGet("/groups", async (string? type, int? page, int? pageSize, ListDuplicateGroupsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(ApiEnums.Parse<RecordType>(type, "type"), page ?? 1, pageSize ?? 25, ct)))
            .WithName("ListDuplicateGroups").WithSummary("The review queue by group: pairs one rule found by one shared value (an email, a phone, a name at an account)");
        duplicates.MapPost("/groups/dismiss", async (DismissGroupRequest request, DismissDuplicateGroupHandler handler, CancellationToken ct) =>
                TypedResults.Ok(new DismissedPairs(await handler.HandleAsync(ApiEnums.Parse<RecordType>(request.Type, "type") ?? RecordType.Contact, request.Rule ?? "", request.Key ?? "", ct))))
            .WithName("DismissDuplicateGroup").WithSummary("Not duplicates: every open pair of the group leaves the queue for good; answers the pairs' ids (to reopen them)");
        duplicates.MapPost("/reopen", async (ReopenRequest request, ReopenDuplicatesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(new ReopenedPairs(await handler.HandleAsync(request.Ids ?? [], ct))))
            .WithName("ReopenDuplicates").WithSummary("Undo dismissals: the pairs are waiting for review again");
        duplicates.MapGet("/{id:long}", async (long id, GetDuplicateComparisonHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetDuplicatePair").WithSummary("A pair side by side, field by field, with the values a merge keeps by default");
        duplicates.MapGet("/compare", async (string? type, long a, long b, GetDuplicateComparisonHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(ApiEnums.Parse<RecordType>(type, "type") ?? RecordType.Contact, a, b, ct)))
            .WithName("CompareRecords").WithSummary("Any two contacts (or accounts) side by side, scored by the duplicate rules");
        duplicates.MapPost("/{id:long}/dismiss", async (long id, DismissDuplicateHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(id, ct);
            return TypedResults.NoContent();
        }).WithName("DismissDuplicatePair").WithSummary("Not a duplicate: the pair never returns");
        duplicates.MapPost("/scan", async (StartDuplicateScanHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(ct);
            return TypedResults.Accepted("/api/v1/duplicates/scan");
        }).WithName("ScanForDuplicates").WithSummary("Scan the workspace in the background (also runs every night)");
        duplicates.MapGet("/scan", async (GetDuplicateScanStatusHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("DuplicateScanStatus").WithSummary("Whether a scan is running, and the last one: when, pairs found, how long");
        duplicates.MapGet("/settings", async (GetDuplicateSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("GetDuplicateSettings").WithSummary("The thresholds for possible and likely duplicates, and whether exact matches merge on their own");
        duplicates.MapPut("/settings", async (DuplicateSettingsInput input, UpdateDuplicateSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(CrmClaims.AdminPolicy).WithName("UpdateDuplicateSettings").WithSummary("Change the duplicate thresholds and automatic merging (admins)");

        api.MapPost("/contacts/{id:long}/merge", async (long id, MergeApiRequest request, MergeContactsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new MergeRequest(id, request.DuplicateId, request.Choices), ct)))
            .WithTags("Duplicates").WithName("MergeContacts").WithSummary("Merge a duplicate into this contact (activities, deals and emails move; the duplicate's URL leads here)");
        api.MapPost("/accounts/{id:long}/merge", async (long id, MergeApiRequest request, MergeAccountsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new MergeRequest(id, request.DuplicateId, request.Choices), ct)))
            .WithTags("Duplicates").WithName("MergeAccounts").WithSummary("Merge a duplicate into this account (its contacts, deals and activities move)");
        api.MapGet("/contacts/{id:long}/duplicates", async (long id, FindContactDuplicatesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithTags("Duplicates").WithName("ContactPossibleDuplicates").WithSummary("Likely duplicates of this contact");
        api.MapGet("/contacts/{id:long}/merges", async (long id, ListMergesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(RecordType.Contact, id, ct)))
            .WithTags("Duplicates").WithName("ContactMerges").WithSummary("The merges into and out of this contact, newest first, with what each can undo");
        api.MapGet("/accounts/{id:long}/duplicates", async (long id, FindAccountDuplicatesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithTags("Duplicates").WithName("AccountPossibleDuplicates").WithSummary("Likely duplicates of this account");
        api.MapGet("/accounts/{id:long}/merges", async (long id, ListMergesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(RecordType.Account, id, ct)))
            .WithTags("Duplicates").WithName("AccountMerges").WithSummary("The merges into and out of this account, newest first, with what each can undo");
        api.MapPost("/merges/{id:long}/undo", async (long id, UndoMergeHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithTags("Duplicates").WithName("UndoMerge").WithSummary("Undo a merge: values back, moved records back, the duplicate restored");
        return api;
    }
}
