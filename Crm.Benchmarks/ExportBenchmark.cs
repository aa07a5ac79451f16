using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Exports;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Crm.Benchmarks;

/// <summary>
/// `export --rows N --format csv|json|xlsx`: N contacts with their accounts, exported through the real export job
/// (the contacts list's query with an owner filter, a field picker with the account name, the formula guard, the
/// file store), in a child process so the peak working set is the export's alone. The floor, in the same run: the
/// same SQL read with a plain data reader and written with the same library, nothing else.
/// </summary>
public static class ExportBenchmark
{
    private static readonly string[] Fields = ["id", "firstName", "lastName", "email", "phone", "jobTitle", "lifecycle", "leadScore", "city", "country", "company", "owner", "createdAt"];

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var format = Enum.Parse<ExportFormat>(options.Format, ignoreCase: true);
        var directory = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "crm-bench-export-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            long workspaceId, ownerId;
            if (File.Exists(Path.Combine(directory, "crm.db")))
            {
                (workspaceId, ownerId) = await ExistingAsync(directory);
                Console.WriteLine($"reusing the {options.Rows:N0}-contact database in {directory}");
            }
            else
            {
                await using var host = await BenchmarkHost.StartAsync(directory, keep: true);
                (workspaceId, ownerId) = await SeedAsync(host, options.Rows);
            }
            SqliteConnection.ClearAllPools();
            if (options.PrepareOnly) return 0;

            var child = await RunChildAsync(directory, workspaceId, ownerId, format);
            var (floor, sql) = await FloorAsync(directory, format);
            Console.WriteLine($"floor: the same query read with a data reader and written with the same library: {floor:N0} rows/s");
            var rowsPerSecond = ((JsonElement)child["rows_per_s"]).GetDouble();
            var result = new Dictionary<string, object>(child)
            {
                ["floor_rows_per_s"] = Math.Round(floor),
                ["ratio_to_floor"] = Math.Round(rowsPerSecond / floor, 3),
                ["targets"] = format == ExportFormat.Xlsx ? "seconds <= 25 for 1,000,000 rows, peak_working_set_mb <= 256" : "rows_per_s >= 120000, ratio_to_floor >= 0.7, peak_working_set_mb <= 256",
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            _ = sql;
            return 0;
        }
        finally
        {
            if (options.WorkDirectory is null && !options.PrepareOnly) try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    private static async Task<(long, long)> ExistingAsync(string directory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "crm.db")}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT \"WorkspaceId\", \"Id\" FROM \"Users\" WHERE \"Email\" = 'owner@bench.example'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>N contacts, one account for every 50 of them, all owned by one rep (the export filters by owner).</summary>
    private static async Task<(long WorkspaceId, long OwnerId)> SeedAsync(BenchmarkHost host, int rows)
    {
        var clock = Stopwatch.StartNew();
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        await using var connection = await host.OpenSeedingConnectionAsync();
        var now = BenchmarkHost.StoredNow();
        long ownerId;
        await using (var owner = new SqliteCommand("""
            INSERT INTO "Users" ("WorkspaceId", "Name", "Email", "Role", "IsActive", "CreatedAt", "UpdatedAt") VALUES ($ws, 'Olive Owner', 'owner@bench.example', 1, 1, $now, $now) RETURNING "Id"
            """, connection))
        {
            owner.Parameters.AddWithValue("$ws", workspaceId);
            owner.Parameters.AddWithValue("$now", now);
            ownerId = (long)(await owner.ExecuteScalarAsync())!;
        }
        await using (var raise = new SqliteCommand("UPDATE \"Workspaces\" SET \"ExportRowLimit\" = 10000000 WHERE \"Id\" = $ws", connection))
        {
            raise.Parameters.AddWithValue("$ws", workspaceId);
            await raise.ExecuteNonQueryAsync();
        }
        var accounts = Math.Max(1, rows / 50);
        var random = new Random(7);
        string[] cities = ["Zürich", "São Paulo", "København", "Kraków", "東京", "London", "New York", "Москва"];
        const int batch = 50_000;
        var accountIds = new List<long>(accounts);
        await using (var transaction = connection.BeginTransaction())
        {
            await using var insert = new SqliteCommand("""
                INSERT INTO "Accounts" ("WorkspaceId", "Name", "Domain", "Version", "CreatedSource", "CreatedByUserId", "CreatedAt", "UpdatedAt")
                VALUES ($ws, $name, $domain, 0, 1, $user, $now, $now) RETURNING "Id"
                """, connection, transaction);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var domain = insert.Parameters.Add("$domain", SqliteType.Text);
            insert.Parameters.AddWithValue("$ws", workspaceId);
            insert.Parameters.AddWithValue("$user", adminId);
            insert.Parameters.AddWithValue("$now", now);
            for (var i = 0; i < accounts; i++)
            {
                name.Value = $"Company {i}, \"Ltd\"";
                domain.Value = $"company{i}.example";
                accountIds.Add((long)(await insert.ExecuteScalarAsync())!);
            }
            await transaction.CommitAsync();
        }
        for (var start = 0; start < rows; start += batch)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = new SqliteCommand("""
                INSERT INTO "Contacts" ("WorkspaceId", "FirstName", "LastName", "Email", "Phone", "JobTitle", "AccountId", "OwnerId", "City", "Country", "LeadScore",
                    "AdditionalEmails", "Lifecycle", "CustomFields", "Version", "CreatedSource", "CreatedByUserId", "CreatedAt", "UpdatedAt")
                VALUES ($ws, $first, $last, $email, $phone, $title, $account, $owner, $city, 'CH', $score, '[]', $lifecycle, '{}', 0, 1, $user, $now, $now)
                """, connection, transaction);
            var first = insert.Parameters.Add("$first", SqliteType.Text);
            var last = insert.Parameters.Add("$last", SqliteType.Text);
            var email = insert.Parameters.Add("$email", SqliteType.Text);
            var phone = insert.Parameters.Add("$phone", SqliteType.Text);
            var title = insert.Parameters.Add("$title", SqliteType.Text);
            var account = insert.Parameters.Add("$account", SqliteType.Integer);
            var city = insert.Parameters.Add("$city", SqliteType.Text);
            var score = insert.Parameters.Add("$score", SqliteType.Integer);
            var lifecycle = insert.Parameters.Add("$lifecycle", SqliteType.Integer);
            insert.Parameters.AddWithValue("$ws", workspaceId);
            insert.Parameters.AddWithValue("$owner", ownerId);
            insert.Parameters.AddWithValue("$user", adminId);
            insert.Parameters.AddWithValue("$now", now);
            insert.Prepare();
            for (var i = start; i < Math.Min(rows, start + batch); i++)
            {
                first.Value = i % 97 == 0 ? "Zoë" : "Person";
                last.Value = $"Number {i:D7}";
                email.Value = $"person{i}@bench.example";
                phone.Value = $"+4144{i % 10_000_000:D7}";
                title.Value = i % 1000 == 0 ? "=HYPERLINK(\"http://evil.example\")" : "Engineer";
                account.Value = accountIds[random.Next(accountIds.Count)];
                city.Value = cities[i % cities.Length];
                score.Value = i % 3 == 0 ? DBNull.Value : i % 101;
                lifecycle.Value = i % 5;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        await using (var analyze = new SqliteCommand("ANALYZE;", connection)) await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"seeded {rows:N0} contacts and {accounts:N0} accounts in {clock.Elapsed.TotalSeconds:F1} s");
        return (workspaceId, ownerId);
    }

    private static ExportRequest Request(ExportFormat format, long ownerId) => new()
    {
        Format = format,
        Parts = [new ExportPart { Object = ExportObject.Contact, Filter = new ExportFilter { OwnerId = ownerId }, Fields = [.. Fields] }],
    };

    /// <summary>The export alone, in its own process.</summary>
    private static Task<Dictionary<string, object>> RunChildAsync(string directory, long workspaceId, long ownerId, ExportFormat format)
    {
        return ChildProcess.RunAsync("export", "export-child", "--dir", directory, "--workspace", workspaceId.ToString(CultureInfo.InvariantCulture),
            "--owner", ownerId.ToString(CultureInfo.InvariantCulture), "--format", format.ToString());
    }

    public static async Task<int> ChildAsync(string[] args)
    {
        string Value(string name) => ChildProcess.Argument(args, name);
        var directory = Value("--dir");
        var workspaceId = long.Parse(Value("--workspace"), CultureInfo.InvariantCulture);
        var ownerId = long.Parse(Value("--owner"), CultureInfo.InvariantCulture);
        var format = Enum.Parse<ExportFormat>(Value("--format"));
        await using var host = await BenchmarkHost.StartAsync(directory, keep: true);
        var admin = await host.AdminOfAsync(workspaceId);

        var clock = Stopwatch.StartNew();
        var started = await host.RunScopedAsync(services => services.GetRequiredService<StartExportHandler>().HandleAsync(Request(format, ownerId)), admin);
        await host.RunScopedAsync(async services =>
        {
            // As the worker runs it: the export's run, through the executor.
            var run = await services.GetRequiredService<Crm.Core.Runs.IRunService>().LatestAsync(workspaceId, Crm.Core.Runs.RunKind.Export, started.Id);
            await services.GetRequiredService<Crm.Core.Runs.RunExecutor>().ExecuteAsync(run!.Id, CancellationToken.None);
            return 0;
        }, admin);
        var seconds = clock.Elapsed.TotalSeconds;
        var view = await host.RunScopedAsync(services => services.GetRequiredService<GetExportHandler>().HandleAsync(started.Id), admin);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"gc: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() / 1048576:N0} MB");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "export",
            ["format"] = format.ToString().ToLowerInvariant(),
            ["status"] = view.Status.ToString(),
            ["rows"] = view.RowsWritten,
            ["file_mb"] = Math.Round(view.FileSize / 1048576.0, 1),
            ["seconds"] = Math.Round(seconds, 2),
            ["rows_per_s"] = Math.Round(view.RowsWritten / seconds),
            ["peak_working_set_mb"] = Math.Round(self.PeakWorkingSet64 / 1048576.0),
        }));
        return view.Status == ExportStatus.Completed ? 0 : 1;
    }

    /// <summary>The export's own SQL (from EF), run with a plain data reader and written with the same library, nothing else.</summary>
    private static async Task<(double RowsPerSecond, string Sql)> FloorAsync(string directory, ExportFormat format)
    {
        long workspaceId, ownerId;
        (workspaceId, ownerId) = await ExistingAsync(directory);
        (string CommandText, List<(string Name, object? Value)> Parameters) sql;
        await using (var host = await BenchmarkHost.StartAsync(directory, keep: true))
        {
            sql = await host.RunScopedAsync(async services =>
            {
                var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
                await using (db)
                {
                    var query = ListContactsHandler.Query(db, new ListContactsQuery(OwnerId: ownerId)).Select(c => new
                    {
                        c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.JobTitle, c.Lifecycle, c.LeadScore, c.City, c.Country,
                        Company = c.Account != null ? c.Account.Name : null, Owner = c.Owner != null ? c.Owner.Email : null, c.CreatedAt,
                    });
                    using var command = query.CreateDbCommand();
                    return (command.CommandText, command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList());
                }
            }, Actor.System(workspaceId));
        }
        SqliteConnection.ClearAllPools();
        var output = Path.Combine(directory, "floor." + format.ToString().ToLowerInvariant());
        var clock = Stopwatch.StartNew();
        var rows = 0;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "crm.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql.CommandText;
            foreach (var (name, value) in sql.Parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync();
            await using var file = File.Create(output);
            switch (format)
            {
                case ExportFormat.Xlsx:
                    var counting = new CountingReader(reader, () => rows++);
                    MiniExcel.SaveAs(file, counting, excelType: ExcelType.XLSX, configuration: new MiniExcelLibs.OpenXml.OpenXmlConfiguration { EnableSharedStringCache = false });
                    break;
                case ExportFormat.Csv:
                    await using (var csv = CsvWriter.Create(file, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
                    {
                        for (var i = 0; i < reader.FieldCount; i++) csv.WriteField(reader.GetName(i));
                        csv.EndRecord();
                        while (await reader.ReadAsync())
                        {
                            for (var i = 0; i < reader.FieldCount; i++) csv.WriteField(reader.IsDBNull(i) ? null : reader.GetValue(i));
                            csv.EndRecord();
                            rows++;
                        }
                    }
                    break;
                default:
                    await using (var json = new Utf8JsonWriter(file))
                    {
                        json.WriteStartArray();
                        while (await reader.ReadAsync())
                        {
                            json.WriteStartObject();
                            for (var i = 0; i < reader.FieldCount; i++)
                            {
                                json.WritePropertyName(reader.GetName(i));
                                if (reader.IsDBNull(i)) json.WriteNullValue();
                                else if (reader.GetFieldType(i) == typeof(long)) json.WriteNumberValue(reader.GetInt64(i));
                                else json.WriteStringValue(reader.GetString(i));
                            }
                            json.WriteEndObject();
                            rows++;
                        }
                        json.WriteEndArray();
                    }
                    break;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        File.Delete(output);
        Console.WriteLine($"floor: {rows:N0} rows in {seconds:F2} s");
        return (rows / seconds, sql.CommandText);
    }

    /// <summary>A data reader that counts the rows it hands out.</summary>
    private sealed class CountingReader(IDataReader inner, Action counted) : IDataReader
    {
        public bool Read()
        {
            if (!inner.Read()) return false;
            counted();
            return true;
        }

        public object this[int i] => inner[i];
        public object this[string name] => inner[name];
        public int Depth => inner.Depth;
        public bool IsClosed => inner.IsClosed;
        public int RecordsAffected => inner.RecordsAffected;
        public int FieldCount => inner.FieldCount;
        public void Close() => inner.Close();
        public void Dispose() { }
        public bool GetBoolean(int i) => inner.GetBoolean(i);
        public byte GetByte(int i) => inner.GetByte(i);
        public long GetBytes(int i, long fieldOffset, byte[]? buffer, int bufferoffset, int length) => inner.GetBytes(i, fieldOffset, buffer, bufferoffset, length);
        public char GetChar(int i) => inner.GetChar(i);
        public long GetChars(int i, long fieldoffset, char[]? buffer, int bufferoffset, int length) => inner.GetChars(i, fieldoffset, buffer, bufferoffset, length);
        public IDataReader GetData(int i) => inner.GetData(i);
        public string GetDataTypeName(int i) => inner.GetDataTypeName(i);
        public DateTime GetDateTime(int i) => inner.GetDateTime(i);
        public decimal GetDecimal(int i) => inner.GetDecimal(i);
        public double GetDouble(int i) => inner.GetDouble(i);
        public Type GetFieldType(int i) => inner.GetFieldType(i);
        public float GetFloat(int i) => inner.GetFloat(i);
        public Guid GetGuid(int i) => inner.GetGuid(i);
        public short GetInt16(int i) => inner.GetInt16(i);
        public int GetInt32(int i) => inner.GetInt32(i);
        public long GetInt64(int i) => inner.GetInt64(i);
        public string GetName(int i) => inner.GetName(i);
        public int GetOrdinal(string name) => inner.GetOrdinal(name);
        public DataTable? GetSchemaTable() => inner.GetSchemaTable();
        public string GetString(int i) => inner.GetString(i);
        public object GetValue(int i) => inner.GetValue(i);
        public int GetValues(object[] values) => inner.GetValues(values);
        public bool IsDBNull(int i) => inner.IsDBNull(i);
        public bool NextResult() => inner.NextResult();
    }
}
