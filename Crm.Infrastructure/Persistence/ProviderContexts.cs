using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Crm.Infrastructure.Persistence;

/// <summary>The embedded default. Migrations: Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteCrmDbContext(DbContextOptions<SqliteCrmDbContext> options, Actor actor) : CrmDbContext(options, actor)
{
    private readonly TimeProvider _time = options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?
        .OfType<Interceptors.RecordKeepingInterceptor>().FirstOrDefault()?.Time ?? TimeProvider.System;
    private bool _failedInBulk;

    /// <summary>Many new timeline rows are written through <see cref="SqliteAddedRows"/> first, in the same transaction.</summary>
    protected override async Task<int> SaveDetectedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (_failedInBulk) throw new InvalidOperationException("An earlier save of this context failed part-way; open a new one.");
        var added = acceptAllChangesOnSuccess ? SqliteAddedRows.Find(this) : [];
        if (added.Count == 0) return await base.SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = SqliteAddedRows.Write(this, added, _time.GetUtcNow());
            var saved = await base.SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (own is not null) await own.CommitAsync(cancellationToken);
            return written + saved;
        }
        catch
        {
            _failedInBulk = true;
            throw;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no DateTimeOffset or decimal type it can compare or order; store sortable numbers instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
    }
}

/// <summary>The production provider. Migrations: Persistence/Migrations/SqlServer.</summary>
public sealed class SqlServerCrmDbContext(DbContextOptions<SqlServerCrmDbContext> options, Actor actor) : CrmDbContext(options, actor)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }
}
