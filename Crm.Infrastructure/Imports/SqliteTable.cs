using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// A prepared INSERT (or UPDATE) for one entity type, built from EF Core's model: the same table, columns and value
/// converters EF uses, so rows written here read back through EF exactly as if EF had written them.
/// </summary>
internal sealed class SqliteTable
{
    private readonly SqliteCommand _command;
    private readonly (IProperty Property, ValueConverter? Converter, SqliteParameter Parameter)[] _values;
    private readonly SqliteParameter[] _keys;

    private SqliteTable(SqliteCommand command, (IProperty, ValueConverter?, SqliteParameter)[] values, SqliteParameter[] keys)
    {
        _command = command;
        _values = values;
        _keys = keys;
    }

    /// <summary>INSERT of every stored column except a generated key; <paramref name="returnId"/> reads the new id back.</summary>
    public static SqliteTable Insert(IModel model, Type clrType, SqliteConnection connection, SqliteTransaction transaction, bool returnId)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not mapped.");
        var properties = entity.GetProperties()
            .Where(p => !p.IsShadowProperty() && !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .ToArray();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = properties.Select((p, i) => (p, Converter(p), command.Parameters.Add(new SqliteParameter("$p" + i, null)))).ToArray();
        command.CommandText =
            $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
            $"VALUES ({string.Join(", ", values.Select(v => v.Item3.ParameterName))})" + (returnId ? " RETURNING \"Id\"" : "");
        command.Prepare();
        return new SqliteTable(command, values, []);
    }

    /// <summary>UPDATE of the given columns plus UpdatedAt and Version, guarded by id, workspace and the version read.</summary>
    public static SqliteTable Update(IModel model, Type clrType, IEnumerable<string> columns, SqliteConnection connection, SqliteTransaction transaction)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not mapped.");
        var properties = columns.Append("UpdatedAt").Append("Version").Distinct()
            .Select(name => entity.FindProperty(name) ?? throw new InvalidOperationException($"{clrType.Name}.{name} is not mapped."))
            .ToArray();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = properties.Select((p, i) => (p, Converter(p), command.Parameters.Add(new SqliteParameter("$p" + i, null)))).ToArray();
        SqliteParameter[] keys = [command.Parameters.Add(new SqliteParameter("$id", null)), command.Parameters.Add(new SqliteParameter("$ws", null)), command.Parameters.Add(new SqliteParameter("$version", null))];
        command.CommandText =
            $"UPDATE \"{entity.GetTableName()}\" SET {string.Join(", ", values.Select(v => $"\"{v.p.GetColumnName()}\" = {v.Item3.ParameterName}"))} " +
            "WHERE \"Id\" = $id AND \"WorkspaceId\" = $ws AND \"Version\" = $version";
        command.Prepare();
        return new SqliteTable(command, values, keys);
    }

    public long Write(object entity)
    {
        Bind(entity);
        return _command.CommandText.EndsWith("RETURNING \"Id\"", StringComparison.Ordinal)
            ? (long)_command.ExecuteScalar()!
            : _command.ExecuteNonQuery();
    }

    /// <summary>Runs the UPDATE; false when the record was changed (or deleted) since it was read.</summary>
    public bool Update(object entity, long id, long workspaceId, int versionBefore)
    {
        Bind(entity);
        _keys[0].Value = id;
        _keys[1].Value = workspaceId;
        _keys[2].Value = versionBefore;
        return _command.ExecuteNonQuery() == 1;
    }

    private void Bind(object entity)
    {
        foreach (var (property, converter, parameter) in _values)
        {
            var value = property.GetGetter().GetClrValue(entity);
            parameter.Value = value is null ? DBNull.Value : converter is null ? value : converter.ConvertToProvider(value) ?? DBNull.Value;
        }
    }

    private static ValueConverter? Converter(IProperty property) => property.GetValueConverter() ?? property.GetTypeMapping().Converter;
}
