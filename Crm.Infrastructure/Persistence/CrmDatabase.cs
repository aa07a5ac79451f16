using Crm.Core.Common;
using Crm.Infrastructure.Persistence.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// The configured database: which provider, where, and how to open a context for an actor. A singleton;
/// contexts are short-lived, one per operation.
/// </summary>
public sealed class CrmDatabase
{
    private readonly Func<Actor, CrmDbContext> _create;

    public CrmDatabase(DatabaseProvider provider, string connectionString, TimeProvider time)
    {
        Provider = provider;
        ConnectionString = connectionString;
        var interceptor = new RecordKeepingInterceptor(time);
        if (provider == DatabaseProvider.Sqlite)
        {
            var options = Configure(new DbContextOptionsBuilder<SqliteCrmDbContext>(), provider, connectionString).AddInterceptors(interceptor, SqliteBusyWait.Instance).Options;
            _create = actor => new SqliteCrmDbContext(options, actor);
        }
        else
        {
            var options = Configure(new DbContextOptionsBuilder<SqlServerCrmDbContext>(), provider, connectionString).AddInterceptors(interceptor).Options;
            _create = actor => new SqlServerCrmDbContext(options, actor);
        }
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public CrmDbContext Create(Actor actor) => _create(actor);

    /// <summary>Provider settings shared by the app and the design-time factories.</summary>
    public static DbContextOptionsBuilder<T> Configure<T>(DbContextOptionsBuilder<T> builder, DatabaseProvider provider, string connectionString)
        where T : CrmDbContext
    {
        if (provider == DatabaseProvider.Sqlite)
            builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"));
        else
            builder.UseSqlServer(connectionString);
        // Deal → contact links are hidden with their soft-deleted contact; queries check for that (dc.Contact != null).
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
        return builder;
    }

    /// <summary>The SQLite connection string for a data folder: WAL-friendly, pooled.</summary>
    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, "crm.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();
}
