using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Crm.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds, in its own short steps (1, 2, 5, 10 … 100 ms). Without
/// it SQLite answers "busy" at once and Microsoft.Data.Sqlite retries every 150 ms: a page of meetings waited 150 ms to
/// begin its save behind a cursor update that took 2. The command timeout (30 s) still bounds the whole wait.
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    /// <summary>How long SQLite waits on its own before handing "busy" back to the driver's retry loop.</summary>
    public const int Milliseconds = 2000;

    public const string Pragma = "PRAGMA busy_timeout = 2000;";

    public static readonly SqliteBusyWait Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>For connections opened outside EF (the import's writer, the webhook inbox).</summary>
    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
