using Crm.Core.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// Errors worth another attempt: SQLite's busy and locked (another connection held the write lock past the busy
/// timeout); SQL Server's deadlock victim, lock and command timeouts, and the errors of a database failing over. EF wraps
/// provider errors (a failed SaveChanges is a DbUpdateException), so the whole chain of inner exceptions is looked at.
/// </summary>
public sealed class DatabaseTransientFailures : ITransientFailures
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// SQL Server: -2 timeout, 1205 deadlock victim, 1222 lock request timeout, 233/64/10053/10054/10060 connection
    /// lost, 4060/40197/40501/40613/49918/49919/49920/10928/10929 database busy or moving (Azure SQL).
    /// </summary>
    private static readonly HashSet<int> SqlServerTransient = [-2, 1205, 1222, 233, 64, 10053, 10054, 10060, 4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929];

    public bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }) return true;
            if (e is SqlException sql && sql.Errors.Cast<SqlError>().Any(x => SqlServerTransient.Contains(x.Number))) return true;
        }
        return false;
    }
}
