using System.ComponentModel.DataAnnotations;

namespace Crm.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for SQL Server; for SQLite it defaults to a file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of the embedded SQLite database (relative paths are under the app's content root).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations when the app starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.SqlServer && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult(
                "Database:Provider is SqlServer but Database:ConnectionString is empty. Set it (user secrets or the Database__ConnectionString environment variable).",
                [nameof(ConnectionString)]);
    }
}
