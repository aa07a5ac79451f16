using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// A statement prepared once on SQLite's own API and run per row: values bound by position, step, reset. It skips
/// the per-execution command, reader and by-name parameter binding of the ADO.NET layer, which dominate narrow
/// inserts. Table, columns and value converters come from EF Core's model, so rows written here read back through
/// EF exactly as if EF had written them.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Action<sqlite3_stmt, object> _bind;
    private readonly int _columns;
    private readonly bool _returnsId;

    private SqliteStatement(SqliteConnection connection, string sql, Action<sqlite3_stmt, object> bind, int columns, bool returnsId)
    {
        _db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
        _bind = bind;
        _columns = columns;
        _returnsId = returnsId;
    }

    /// <summary>INSERT of every stored column except a generated key; <paramref name="returnId"/> reads the new id back.</summary>
    public static SqliteStatement Insert(IModel model, Type clrType, SqliteConnection connection, bool returnId = false)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not mapped.");
        var properties = entity.GetProperties().Where(p => !p.IsShadowProperty() && !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToArray();
        var sql = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                  $"VALUES ({string.Join(", ", properties.Select((_, i) => $"?{i + 1}"))})" + (returnId ? " RETURNING \"Id\"" : "");
        return new SqliteStatement(connection, sql, Binders.For(clrType, properties), properties.Length, returnId);
    }

    /// <summary>
    /// INSERT of a row EF tracks, returning its new id: every stored column of <paramref name="entity"/>'s type, the
    /// shadow ones (a TPH discriminator) last, bound from EF's entry by <see cref="Insert(object, IReadOnlyList{object?})"/>.
    /// </summary>
    public static SqliteStatement InsertTracked(IEntityType entity, SqliteConnection connection, out IProperty[] shadow)
    {
        var stored = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToArray();
        var members = stored.Where(p => !p.IsShadowProperty()).ToArray();
        shadow = stored.Where(p => p.IsShadowProperty()).ToArray();
        var columns = members.Concat(shadow).ToArray();
        var sql = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", columns.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                  $"VALUES ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))}) RETURNING \"Id\"";
        var convert = shadow.Select(p => p.GetValueConverter() ?? p.GetTypeMapping().Converter).ToArray();
        var statement = new SqliteStatement(connection, sql, Binders.For(entity.ClrType, members), columns.Length, true) { _shadowConverters = convert, _firstShadow = members.Length + 1 };
        return statement;
    }

    private ValueConverter?[] _shadowConverters = [];
    private int _firstShadow;

    /// <summary>Runs the INSERT of <see cref="InsertTracked"/> for one row and its shadow values; the new id.</summary>
    public long Insert(object entity, IReadOnlyList<object?> shadowValues)
    {
        _bind(_statement, entity);
        for (var i = 0; i < shadowValues.Count; i++)
            BindValue(_firstShadow + i, shadowValues[i] is { } value && _shadowConverters[i] is { } converter ? converter.ConvertToProvider(value) : shadowValues[i]);
        return Step();
    }

    private void BindValue(int index, object? value)
    {
        switch (value)
        {
            case null: raw.sqlite3_bind_null(_statement, index); break;
            case string text: raw.sqlite3_bind_text16(_statement, index, text.AsSpan()); break;
            case bool flag: raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0); break;
            case long or int or short or byte: raw.sqlite3_bind_int64(_statement, index, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case double or float: raw.sqlite3_bind_double(_statement, index, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case Enum: raw.sqlite3_bind_int64(_statement, index, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            default: throw new InvalidOperationException($"No SQLite binding for {value.GetType().Name}.");
        }
    }

    /// <summary>UPDATE of the given columns plus those every update sets, guarded by id, workspace and the version read.</summary>
    public static SqliteStatement Update(IModel model, Type clrType, IEnumerable<string> columns, SqliteConnection connection)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not mapped.");
        var properties = columns.Concat(Persistence.RecordWrites.StampedOnUpdate).Distinct()
            .Select(name => entity.FindProperty(name) ?? throw new InvalidOperationException($"{clrType.Name}.{name} is not mapped.")).ToArray();
        var n = properties.Length;
        var sql = $"UPDATE \"{entity.GetTableName()}\" SET {string.Join(", ", properties.Select((p, i) => $"\"{p.GetColumnName()}\" = ?{i + 1}"))} " +
                  $"WHERE \"Id\" = ?{n + 1} AND \"WorkspaceId\" = ?{n + 2} AND \"Version\" = ?{n + 3}";
        return new SqliteStatement(connection, sql, Binders.For(clrType, properties), n, false);
    }

    /// <summary>Runs the INSERT for one record; the new id when the statement returns it, otherwise 0.</summary>
    public long Insert(object entity)
    {
        _bind(_statement, entity);
        return Step();
    }

    /// <summary>Runs the UPDATE for one record; false when it was changed (or deleted) since it was read.</summary>
    public bool Update(object entity, long id, long workspaceId, int versionBefore)
    {
        _bind(_statement, entity);
        raw.sqlite3_bind_int64(_statement, _columns + 1, id);
        raw.sqlite3_bind_int64(_statement, _columns + 2, workspaceId);
        raw.sqlite3_bind_int64(_statement, _columns + 3, versionBefore);
        Step();
        return raw.sqlite3_changes(_db) == 1;
    }

    private long Step()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            long id = 0;
            if (_returnsId && rc == raw.SQLITE_ROW)
            {
                id = raw.sqlite3_column_int64(_statement, 0);
                rc = raw.sqlite3_step(_statement);
            }
            if (rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
            return id;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>
    /// Compiled per entity type and column list: each property read typed, through its EF value converter, into the
    /// matching sqlite3_bind_* call — no boxing, no per-value type tests.
    /// </summary>
    private static class Binders
    {
        private static readonly ConcurrentDictionary<string, Action<sqlite3_stmt, object>> Cache = new(StringComparer.Ordinal);

        public static Action<sqlite3_stmt, object> For(Type clrType, IProperty[] properties) =>
            Cache.GetOrAdd(clrType.FullName + ":" + string.Join(',', properties.Select(p => p.Name)), _ => Compile(clrType, properties));

        private static Action<sqlite3_stmt, object> Compile(Type clrType, IProperty[] properties)
        {
            var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
            var boxed = Expression.Parameter(typeof(object), "entity");
            var entity = Expression.Variable(clrType, "e");
            var body = new List<Expression> { Expression.Assign(entity, Expression.Convert(boxed, clrType)) };
            for (var i = 0; i < properties.Length; i++)
            {
                var property = properties[i];
                var member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo ?? throw new InvalidOperationException($"{clrType.Name}.{property.Name} has no CLR member.");
                var converter = property.GetValueConverter() ?? property.GetTypeMapping().Converter;
                body.Add(Bind(statement, i + 1, Expression.MakeMemberAccess(entity, member), converter));
            }
            return Expression.Lambda<Action<sqlite3_stmt, object>>(Expression.Block([entity], body), statement, boxed).Compile();
        }

        private static Expression Bind(ParameterExpression statement, int index, Expression value, ValueConverter? converter)
        {
            var position = Expression.Constant(index);
            var bindNull = Expression.Call(typeof(raw).GetMethod(nameof(raw.sqlite3_bind_null))!, statement, position);
            if (Nullable.GetUnderlyingType(value.Type) is not null)
                return Expression.IfThenElse(Expression.Property(value, "HasValue"), Bind(statement, index, Expression.Property(value, "Value"), converter), bindNull);
            if (converter is not null)
            {
                var lambda = converter.ConvertToProviderExpression;
                var input = value.Type == lambda.Parameters[0].Type ? value : Expression.Convert(value, lambda.Parameters[0].Type);
                Expression converted = Expression.Invoke(lambda, input);
                if (value.Type.IsValueType) return Bind(statement, index, converted, null);
                // Most imported rows have no custom fields and no other emails: no serializer for an empty collection.
                Expression bindConverted = Bind(statement, index, converted, null);
                if (typeof(ICollection).IsAssignableFrom(value.Type))
                    bindConverted = Expression.IfThenElse(
                        Expression.Equal(Expression.Property(Expression.Convert(value, typeof(ICollection)), nameof(ICollection.Count)), Expression.Constant(0)),
                        Call(nameof(Text), statement, position, Expression.Constant(typeof(IDictionary).IsAssignableFrom(value.Type) ? "{}" : "[]")),
                        bindConverted);
                return Expression.IfThenElse(Expression.Equal(value, Expression.Constant(null, value.Type)), bindNull, bindConverted);
            }
            var type = value.Type;
            if (type == typeof(string))
                return Expression.IfThenElse(Expression.Equal(value, Expression.Constant(null, type)), bindNull, Call(nameof(Text), statement, position, value));
            if (type.IsEnum) return Call(nameof(Integer), statement, position, Expression.Convert(value, typeof(long)));
            if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte))
                return Call(nameof(Integer), statement, position, Expression.Convert(value, typeof(long)));
            if (type == typeof(bool)) return Call(nameof(Boolean), statement, position, value);
            if (type == typeof(double) || type == typeof(float)) return Call(nameof(Real), statement, position, Expression.Convert(value, typeof(double)));
            if (type == typeof(DateOnly)) return Call(nameof(Date), statement, position, value);
            throw new InvalidOperationException($"No SQLite binding for {type.Name}.");
        }

        private static MethodCallExpression Call(string name, params Expression[] arguments) =>
            Expression.Call(typeof(Binders).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!, arguments);

        // UTF-16 straight from the string: SQLite transcodes it, no UTF-8 copy is allocated per value.
        private static void Text(sqlite3_stmt statement, int index, string value) => raw.sqlite3_bind_text16(statement, index, value.AsSpan());

        private static void Integer(sqlite3_stmt statement, int index, long value) => raw.sqlite3_bind_int64(statement, index, value);

        private static void Boolean(sqlite3_stmt statement, int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

        private static void Real(sqlite3_stmt statement, int index, double value) => raw.sqlite3_bind_double(statement, index, value);

        // As EF Core's SQLite provider stores a DateOnly.
        private static void Date(sqlite3_stmt statement, int index, DateOnly value) =>
            raw.sqlite3_bind_text16(statement, index, value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AsSpan());
    }
}
