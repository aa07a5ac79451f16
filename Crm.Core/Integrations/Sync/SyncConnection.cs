using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Integrations.Sync;

/// <summary>One object type's sync for one provider (HubSpot contacts, Gmail messages, …), added by each connector.</summary>
public interface IConnectionSyncer
{
    string Provider { get; }
    IntegrationType Type { get; }
    string ObjectType { get; }
    /// <param name="full">The nightly reconcile: every record of both sides compared (archived ones included), not only what changed since the last run.</param>
    Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct);
}

/// <summary>Calls made through a connection today (the budget's meter), so a run can say how many it used.</summary>
public interface ICallCounter
{
    ValueTask<int> CallsTodayAsync(ConnectionRef connection, CancellationToken ct);
}

/// <summary>
/// One sync run of a connection, whatever started it (its schedule, Sync now, a webhook, a reconnect): the run is
/// started through the status service (skipped when the connection is paused, broken or already running), the
/// provider's "who am I" proves the grant and notices an account that changed, then every syncer of the connection's
/// provider and type runs in turn. A refused grant ends it as <c>needs_reconnect</c>; a provider that is down, as an
/// error retried on the next run; nothing is lost either way, as each syncer saves its cursor as it goes.
/// </summary>
public sealed class SyncConnectionHandler(IConnectionStatus status, IServiceProvider services, ICallCounter calls, IEnumerable<IConnectionSyncer> syncers,
    ILogger<SyncConnectionHandler>? log = null)
{
    /// <summary>The trigger of the nightly run that compares both sides in full.</summary>
    public const string Reconcile = "reconcile";

    public async Task<SyncRunOutcome?> HandleAsync(ConnectionRef connection, IntegrationType type, string? accountId, string trigger, CancellationToken ct)
    {
        if (await status.StartRunAsync(connection, trigger, ct) is not { } runId) return null;
        var callsBefore = await calls.CallsTodayAsync(connection, ct);
        var totals = new SyncTotals();
        SyncRunOutcome outcome;
        string? error = null;
        try
        {
            if (services.GetKeyedService<IConnectionProbe>(connection.Provider) is { } probe)
            {
                var account = await probe.ProbeAsync(connection, ct);
                if (accountId is not null && account.Id.Length > 0 && account.Id != accountId)
                    throw new ProviderApiException(connection.Provider, 200, "account_changed",
                        $"The connection now reaches another account ({account.Name}); reconnect it with the account it was made for.");
            }
            foreach (var syncer in syncers.Where(s => s.Provider == connection.Provider && s.Type == type))
                totals += await syncer.SyncAsync(connection, trigger == Reconcile, ct);
            outcome = totals.Errors > 0 ? SyncRunOutcome.PartlyFailed : SyncRunOutcome.Succeeded;
        }
        catch (ReconnectRequiredException e)
        {
            (outcome, error) = (SyncRunOutcome.NeedsReconnect, e.Message);
        }
        catch (Crm.Core.Sync.MassChangeHeldException e)
        {
            // Stopped before writing: the connection shows why until an admin lets it through (or the changes go away).
            (outcome, error) = (SyncRunOutcome.Failed, e.Message);
        }
        catch (Exception e) when (e is ProviderApiException or OAuthProviderException or BudgetExhaustedException && !ct.IsCancellationRequested)
        {
            (outcome, error) = (SyncRunOutcome.Failed, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else went wrong, the run is closed (never left "syncing") and the next one tries again.
            (outcome, error) = (SyncRunOutcome.Failed, $"The run stopped on an unexpected error ({e.GetType().Name}); it is tried again on the next run.");
            log?.LogError(e, "Sync run {RunId} of connection {IntegrationId} failed", runId, connection.IntegrationId);
        }
        catch (OperationCanceledException)
        {
            await status.FinishRunAsync(connection, runId, totals with { ApiCalls = await calls.CallsTodayAsync(connection, CancellationToken.None) - callsBefore },
                SyncRunOutcome.Abandoned, "Stopped (the app shut down); the next run continues where this one left off.", CancellationToken.None);
            throw;
        }
        totals = totals with { ApiCalls = await calls.CallsTodayAsync(connection, CancellationToken.None) - callsBefore };
        await status.FinishRunAsync(connection, runId, totals, outcome, error, CancellationToken.None);
        return outcome;
    }
}
