using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Imports;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// `import --rows N`: a HubSpot-like export of N rows imported with the update strategy into a database already
/// holding N contacts, through the real pipeline (mapping, transforms, validation, duplicate check, before-images,
/// progress), in a child process so the peak working set is the import's alone. The floor, in the same run, right
/// before and right after the import (their mean is the ratio's base): parse every row of the same file and insert it
/// with one reused prepared INSERT, in 10,000-row transactions, into a table of the same shape and indexes.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var directory = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "crm-bench-import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, "hubspot-contacts.csv");
        try
        {
            var clock = Stopwatch.StartNew();
            await HubSpotExport.WriteAsync(csv, options.Rows, existing: options.Rows);
            Console.WriteLine($"generated {options.Rows:N0} rows ({new FileInfo(csv).Length / 1048576.0:N0} MB) in {clock.Elapsed.TotalSeconds:F1} s");

            long workspaceId;
            await using (var host = await BenchmarkHost.StartAsync(directory, keep: true))
            {
                workspaceId = await SeedAsync(host, options.Rows);
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (options.PrepareOnly)
            {
                // For profiling the import alone: the prepared folder and the command that imports it.
                Console.WriteLine($"prepared; run: dotnet {typeof(ImportBenchmark).Assembly.Location} import-child --dir {directory} --file {csv} --workspace {workspaceId}");
                return 0;
            }

            // The floor right before and right after the import, and their mean: the machine's speed drifts by 10–20%
            // from one minute to the next, and the import runs between the two.
            var before = await FloorAsync(directory, csv, "floor-before.db");
            Console.WriteLine($"floor before: parse + prepared INSERT in 10,000-row transactions: {before:N0} rows/s");
            var child = await RunChildAsync(directory, csv, workspaceId);
            var after = await FloorAsync(directory, csv, "floor-after.db");
            Console.WriteLine($"floor after: {after:N0} rows/s");
            var floor = (before + after) / 2;

            var result = new Dictionary<string, object>(child)
            {
                ["floor_before_rows_per_s"] = Math.Round(before),
                ["floor_after_rows_per_s"] = Math.Round(after),
                ["floor_rows_per_s"] = Math.Round(floor),
                ["ratio_to_floor"] = Math.Round(((JsonElement)child["rows_per_s"]).GetDouble() / floor, 3),
                ["target_rows_per_s"] = 30_000,
                ["target_ratio_to_floor"] = 0.5,
                ["target_peak_working_set_mb"] = 512,
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (options.WorkDirectory is null && !options.PrepareOnly) try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    /// <summary>The import alone, in its own process.</summary>
    private static Task<Dictionary<string, object>> RunChildAsync(string directory, string csv, long workspaceId)
    {
        return ChildProcess.RunAsync("import", "import-child", "--dir", directory, "--file", csv, "--workspace", workspaceId.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task<int> ChildAsync(string[] args)
    {
        string Value(string name) => ChildProcess.Argument(args, name);
        var directory = Value("--dir");
        var csv = Value("--file");
        var workspaceId = long.Parse(Value("--workspace"), CultureInfo.InvariantCulture);
        await using var host = await BenchmarkHost.StartAsync(directory, keep: true);
        var admin = await host.AdminOfAsync(workspaceId);

        var draft = await host.RunScopedAsync(async services =>
        {
            await using var file = File.OpenRead(csv);
            return await services.GetRequiredService<UploadImportHandler>().HandleAsync(RecordType.Contact, "hubspot-contacts.csv", file);
        }, admin);
        var mapped = draft.Mapping.Columns.Where(c => c.Field is not null).Select(c => $"{c.Header}→{c.Field}");
        Console.WriteLine("mapping: " + string.Join(", ", mapped));
        await host.RunScopedAsync(services => services.GetRequiredService<StartImportHandler>()
            .HandleAsync(draft.ImportId, draft.Mapping, draft.Options with { Strategy = DuplicateStrategy.Update }), admin);

        var clock = Stopwatch.StartNew();
        var times = await host.RunScopedAsync(async services =>
        {
            var runner = services.GetRequiredService<ImportRunner>();
            await runner.RunAsync(draft.ImportId, CancellationToken.None);
            return runner.Times.ToString();
        }, Actor.System(workspaceId, ChangeSource.Import, $"import:{draft.ImportId}"));
        Console.WriteLine("stages: " + times);
        var memory = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine($"memory: GC heap {memory.HeapSizeBytes / 1048576} MB (committed {memory.TotalCommittedBytes / 1048576} MB, fragmented {memory.FragmentedBytes / 1048576} MB) at the last collection; SQLite's allocations peaked at {SQLitePCL.raw.sqlite3_memory_highwater(0) / 1048576} MB");
        Console.WriteLine($"gc: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen 0/1/2), paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() / 1048576:N0} MB, server gc {System.Runtime.GCSettings.IsServerGC}");
        var seconds = clock.Elapsed.TotalSeconds;
        var view = await host.RunScopedAsync(services => services.GetRequiredService<GetImportHandler>().HandleAsync(draft.ImportId), admin);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "import",
            ["status"] = view.Status.ToString(),
            ["rows"] = view.RowsProcessed,
            ["created"] = view.RowsCreated,
            ["updated"] = view.RowsUpdated,
            ["skipped"] = view.RowsSkipped,
            ["failed"] = view.RowsFailed,
            ["accounts_created"] = view.AccountsCreated,
            ["seconds"] = Math.Round(seconds, 2),
            ["rows_per_s"] = Math.Round(view.RowsProcessed / seconds),
            ["peak_working_set_mb"] = Math.Round(self.PeakWorkingSet64 / 1048576.0),
        }));
        return 0;
    }

    private static async Task<long> SeedAsync(BenchmarkHost host, int existing)
    {
        var clock = Stopwatch.StartNew();
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        await using var connection = await host.OpenSeedingConnectionAsync();
        var now = BenchmarkHost.StoredNow();
        const int batch = 50_000;
        for (var start = 0; start < existing; start += batch)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = new SqliteCommand("""
                INSERT INTO "Contacts" ("WorkspaceId", "FirstName", "LastName", "Email", "AdditionalEmails", "Lifecycle", "CustomFields", "Version",
                    "CreatedSource", "CreatedByUserId", "CreatedAt", "UpdatedAt", "JobTitle")
                VALUES ($ws, $first, $last, $email, '[]', 0, '{}', 0, 1, $user, $now, $now, 'Existing')
                """, connection, transaction);
            var first = insert.Parameters.Add("$first", SqliteType.Text);
            var last = insert.Parameters.Add("$last", SqliteType.Text);
            var email = insert.Parameters.Add("$email", SqliteType.Text);
            insert.Parameters.AddWithValue("$ws", workspaceId);
            insert.Parameters.AddWithValue("$user", adminId);
            insert.Parameters.AddWithValue("$now", now);
            insert.Prepare();
            for (var i = start; i < Math.Min(existing, start + batch); i++)
            {
                first.Value = "Existing";
                last.Value = "Person " + i;
                email.Value = HubSpotExport.ExistingEmail(i);
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        await using (var analyze = new SqliteCommand("ANALYZE;", connection)) await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"seeded {existing:N0} existing contacts in {clock.Elapsed.TotalSeconds:F1} s");
        return workspaceId;
    }

    /// <summary>Parse every row, insert it with one prepared INSERT into a copy of the Contacts table (same columns, same indexes).</summary>
    private static async Task<double> FloorAsync(string directory, string csv, string fileName)
    {
        var floorDb = Path.Combine(directory, fileName);
        await using var source = new SqliteConnection($"Data Source={Path.Combine(directory, "crm.db")};Mode=ReadOnly");
        await source.OpenAsync();
        var ddl = new List<string>();
        await using (var schema = new SqliteCommand("SELECT sql FROM sqlite_master WHERE tbl_name = 'Contacts' AND sql IS NOT NULL", source))
        await using (var reader = await schema.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ddl.Add(reader.GetString(0));
        await using var connection = new SqliteConnection($"Data Source={floorDb}");
        await connection.OpenAsync();
        await using (var pragma = new SqliteCommand("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF;", connection)) await pragma.ExecuteNonQueryAsync();
        // The same DDL: columns, indexes and (unenforced here) foreign keys.
        foreach (var statement in ddl)
        {
            await using var create = new SqliteCommand(statement, connection);
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var rows = 0;
        var now = DateTimeOffset.UtcNow.Ticks;
        using var csvReader = CsvReader.FromFile(csv, new CsvReaderOptions { HasHeader = true, FormatProvider = CultureInfo.InvariantCulture, Encoding = Encoding.UTF8 });
        SqliteTransaction? transaction = null;
        SqliteCommand? insert = null;
        SqliteParameter[] values = [];
        while (csvReader.Read())
        {
            if (rows % 10_000 == 0)
            {
                if (transaction is not null) await transaction.CommitAsync();
                transaction = connection.BeginTransaction();
                insert = new SqliteCommand("""
                    INSERT INTO "Contacts" ("WorkspaceId", "FirstName", "LastName", "Email", "Phone", "JobTitle", "ScoreTier", "Street", "City", "PostalCode",
                        "Country", "LinkedInUrl", "Source", "SourceDetail", "LeadScore", "AdditionalEmails", "Lifecycle", "CustomFields", "Version",
                        "CreatedSource", "CreatedAt", "UpdatedAt")
                    VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '[]', 0, '{}', 0, 3, $now, $now)
                    """, connection, transaction);
                values = Enumerable.Range(1, 14).Select(i => insert.Parameters.Add("$" + i, SqliteType.Text)).ToArray();
                insert.Parameters.AddWithValue("$now", now);
                insert.Prepare();
            }
            int[] columns = [1, 2, 3, 4, 6, 8, 10, 11, 13, 14, 15, 16, 17, 19];
            for (var i = 0; i < columns.Length; i++) values[i].Value = csvReader.GetString(columns[i]);
            await insert!.ExecuteNonQueryAsync();
            rows++;
        }
        if (transaction is not null) await transaction.CommitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        await connection.CloseAsync();
        SqliteConnection.ClearPool(connection);
        foreach (var file in new[] { floorDb, floorDb + "-wal", floorDb + "-shm" }) File.Delete(file);
        return rows / seconds;
    }
}
