using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Infrastructure.Persistence;

/// <summary>For `dotnet ef ... --context SqliteCrmDbContext`; never connects.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCrmDbContext>
{
    public SqliteCrmDbContext CreateDbContext(string[] args) =>
        new(CrmDatabase.Configure(new DbContextOptionsBuilder<SqliteCrmDbContext>(), DatabaseProvider.Sqlite, "Data Source=design-time.db").Options, Actor.Anonymous);
}

/// <summary>For `dotnet ef ... --context SqlServerCrmDbContext`; scripts are generated offline.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerCrmDbContext>
{
    public SqlServerCrmDbContext CreateDbContext(string[] args) =>
        new(CrmDatabase.Configure(new DbContextOptionsBuilder<SqlServerCrmDbContext>(), DatabaseProvider.SqlServer,
            "Server=localhost;Database=Crm;Integrated Security=false;TrustServerCertificate=True").Options, Actor.Anonymous);
}
