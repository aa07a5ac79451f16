namespace Crm.Core.Integrations.Connections;

/// <summary>
/// Each connection's recurring sync: its own trigger at its own interval, paused while the connection is paused or
/// waits for a reconnect, removed on disconnect. One run per connection at a time, also across instances.
/// </summary>
public interface IConnectionSchedule
{
    /// <summary>Creates or updates the connection's trigger from its interval and state (a paused or broken one gets none).</summary>
    Task ScheduleAsync(IntegrationView connection, CancellationToken ct = default);

    /// <summary>Stops the connection's trigger (pause, needs reconnect, disconnect).</summary>
    Task StopAsync(long integrationId, CancellationToken ct = default);

    /// <summary>Runs the connection's sync now (joining a run already going).</summary>
    Task RunNowAsync(long workspaceId, long integrationId, CancellationToken ct = default);

    /// <summary>When the connection's next run is due; null when it has none.</summary>
    Task<DateTimeOffset?> NextRunAsync(long integrationId, CancellationToken ct = default);
}
