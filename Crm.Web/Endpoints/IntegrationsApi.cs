using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;

namespace Crm.Web.Endpoints;

/// <summary>
/// Connections and their health. Admins reach every connection of the workspace; anyone else only their own mailbox
/// and calendar (others answer 403, another workspace's 404). No route ever returns a token or secret.
/// </summary>
public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var integrations = api.MapGroup("/integrations").WithTags("Integrations");
        integrations.MapGet("/", async (ListIntegrationsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListIntegrations")
            .WithSummary("Connections and their health: every one for admins, your own mailbox and calendar otherwise; secrets are never returned");
        integrations.MapGet("/{id:long}/health", async (long id, GetConnectionHealthHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetIntegrationHealth")
            .WithSummary("Records in sync, failing and excluded; recent runs; failures grouped by reason with their records; calls per day for a week");
        integrations.MapPatch("/{id:long}", async (long id, ConnectionSettingsInput input, UpdateConnectionSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input, ct)))
            .WithName("UpdateIntegration")
            .WithSummary("Change a connection's name, direction or interval (5–1,440 minutes); a new interval reschedules it at once");
        integrations.MapPost("/{id:long}/sync", async (long id, SyncConnectionNowHandler handler, CancellationToken ct) => TypedResults.Accepted($"/api/v1/integrations/{id}/health", await handler.HandleAsync(id, ct)))
            .WithName("SyncIntegrationNow")
            .WithSummary("Start the connection's sync now (after a run already going); refused when it is paused, disconnected or needs a reconnect");
        integrations.MapPost("/{id:long}/pause", async (long id, PauseConnectionHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, true, ct)))
            .WithName("PauseIntegration").WithSummary("Stop the connection's scheduled runs until it is resumed");
        integrations.MapPost("/{id:long}/resume", async (long id, PauseConnectionHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, false, ct)))
            .WithName("ResumeIntegration").WithSummary("Resume the connection's scheduled runs where they left off");
        integrations.MapPost("/{id:long}/records/{recordId:long}/{action}", async (long id, long recordId, string action, ActOnSyncRecordHandler handler, CancellationToken ct) =>
                Enum.TryParse<SyncRecordAction>(action, ignoreCase: true, out var parsed) && !int.TryParse(action, out _)
                    ? Results.Ok(await handler.HandleAsync(id, recordId, parsed, ct))
                    : Results.Problem(statusCode: 404, title: "Unknown action", detail: "Use retry, exclude or include."))
            .WithName("ActOnSyncedRecord").WithSummary("Retry, exclude or include one synced record")
            .Produces<SyncRecordProblem>(StatusCodes.Status200OK);
        integrations.MapGet("/{id:long}/initial-sync", async (long id, Crm.Core.Sync.PreviewInitialSyncHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("PreviewInitialSync")
            .WithSummary("What the first sync will do, before anything is written: records on each side, matched by link and by email, created on each side, fields each conflict rule will settle (admins)");
        integrations.MapPost("/{id:long}/initial-sync", async (long id, Crm.Core.Sync.ConfirmInitialSyncHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("ConfirmInitialSync").WithSummary("Confirm the first sync: from now on the connection's runs write, starting now (admins)");
        integrations.MapGet("/{id:long}/conflicts", async (long id, bool? resolved, Crm.Core.Sync.ListSyncConflictsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, resolved ?? false, ct)))
            .WithName("ListSyncConflicts").WithSummary("The conflict queue: fields both sides changed under a manual rule, with both values and times (admins)");
        integrations.MapPost("/{id:long}/conflicts/{conflictId:long}/resolve", async (long id, long conflictId, Crm.Core.Sync.ResolveConflictInput input,
                Crm.Core.Sync.ResolveSyncConflictHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, conflictId, input, ct)))
            .WithName("ResolveSyncConflict").WithSummary("Keep ours, take theirs, or type a value; it is written here and pushed to the other system (admins)");
        integrations.MapGet("/{id:long}/mappings/{objectType}", async (long id, string objectType, Crm.Core.Sync.GetFieldMappingHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, objectType, ct)))
            .WithName("GetFieldMapping").WithSummary("One object type's field mapping in force, every property there (custom ones included) and field here, and what is wrong with it (admins)");
        integrations.MapPut("/{id:long}/mappings/{objectType}", async (long id, string objectType, Crm.Core.Sync.FieldMappingInput input, Crm.Core.Sync.SaveFieldMappingHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, objectType, input, ct)))
            .WithName("SaveFieldMapping").WithSummary("Save an object type's mapping (checked against both sides first), or reset it to the defaults (admins)");
        integrations.MapGet("/{id:long}/owners", async (long id, Crm.Core.Sync.GetOwnerMappingHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetOwnerMapping").WithSummary("Their record owners beside our users: matched by email, set by an admin, or unmapped (their records go to the fallback admin) (admins)");
        integrations.MapPut("/{id:long}/owners", async (long id, Crm.Core.Sync.OwnerMappingInput input, Crm.Core.Sync.SaveOwnerMappingHandler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(id, input, ct);
                return TypedResults.NoContent();
            })
            .WithName("SaveOwnerMapping").WithSummary("Correct the owner table and choose the fallback admin; used from the next run on (admins)");
        integrations.MapGet("/{id:long}/deal-stages", async (long id, Crm.Core.Sync.GetDealStageMappingHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetDealStageMapping").WithSummary("Their deal stages beside ours as the next run pairs them; unmatched ones arrive without a stage (admins)");
        integrations.MapPut("/{id:long}/deal-stages", async (long id, Crm.Core.Sync.DealStageMappingInput input, Crm.Core.Sync.SaveDealStageMappingHandler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(id, input, ct);
                return TypedResults.NoContent();
            })
            .WithName("SaveDealStageMapping").WithSummary("Pair their deal stages with ours (admins)");
        integrations.MapPost("/{id:long}/deal-stages/create-missing", async (long id, Crm.Core.Sync.CreateMissingDealStagesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(new CreatedStages(await handler.HandleAsync(id, ct))))
            .WithName("CreateMissingDealStages").WithSummary("Create here the deal stages of theirs nothing matches, in their pipeline's order (admins)");
        integrations.MapPost("/{id:long}/mass-change/approve", async (long id, Crm.Core.Sync.ApproveMassChangeHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("ApproveMassChange").WithSummary("Let a run the mass-change guard stopped go ahead once (admins)");
        integrations.MapPost("/{id:long}/disconnect", async (long id, DisconnectIntegrationHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("DisconnectIntegration")
            .WithSummary("Revoke the grant at the provider where it can be, delete the tokens, stop its jobs and mark the connection disconnected (admins, or the owner of a mailbox or calendar)");
        return api;
    }
}
