using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Web;

/// <summary>The app's process killed in the middle of an import, then started again, as a crash or a redeploy does it.</summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private const int Rows = 40_000;
    private readonly string _data = TestPaths.NewTempDirectory("crash");
    private readonly Dictionary<string, string> _environment;
    private AppProcess? _app;

    public CrashSafetyTests() => _environment = new Dictionary<string, string>
    {
        ["Database__DataDirectory"] = _data,
        ["DemoData__Enabled"] = "false",
        // A killed runner is taken over after 3 s of silence (2 minutes by default).
        ["Jobs__StaleAfter"] = "00:00:03",
        ["Jobs__WatchdogInterval"] = "00:00:01",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public async ValueTask InitializeAsync() => _app = await AppProcess.StartAsync("Crm.Web", _environment);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    [Fact]
    public async Task KillingTheAppMidImport_LosesNothingCommitted_DuplicatesNothing_AndTheImportFinishesAfterTheRestart()
    {
        await using var host = await CrmTestHost.StartAsync(directory: _data);
        const long workspaceId = 1; // the one the first start creates
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await host.CreateApiKeyAsync(workspaceId));

        var csv = new StringBuilder("First Name,Last Name,Email,City\n");
        for (var i = 0; i < Rows; i++) csv.Append("Person,Number ").Append(i).Append(",person").Append(i).Append("@crash.example,Springfield\n");
        var form = new MultipartFormDataContent { { new StringContent("contact"), "objectType" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "big.csv");
        var started = await client.PostAsync(_app!.BaseUrl + "/api/v1/imports", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var path = started.Headers.Location!.OriginalString;

        // Kill it once part of the file is in.
        var before = await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("rowsProcessed").GetInt32() >= 8_000);
        Assert.Equal("running", before.GetProperty("status").GetString());
        await _app.DisposeAsync();
        _app = null;

        // What the dead process committed is all there, whole: as many contacts as the job counted, each once.
        var (job, contacts, distinct) = await StateAsync(host, workspaceId);
        Assert.Equal(ImportStatus.Running, job.Status);
        Assert.True(job.RowsProcessed is > 0 and < Rows, $"{job.RowsProcessed} rows were in when the process died");
        Assert.Equal(job.RowsCreated, contacts);
        Assert.Equal(contacts, distinct);

        // Started again, the app takes the import over and finishes it.
        _app = await AppProcess.StartAsync("Crm.Web", _environment);
        var done = await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(3));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal((Rows, Rows), (done.GetProperty("rowsProcessed").GetInt32(), done.GetProperty("rowsCreated").GetInt32()));
        (job, contacts, distinct) = await StateAsync(host, workspaceId);
        Assert.Equal((Rows, Rows), (contacts, distinct));
        await using (var db = host.Database.Create(Actor.System(workspaceId)))
            Assert.True(await db.Runs.Where(r => r.Kind == Crm.Core.Runs.RunKind.Import && r.SubjectId == job.Id).Select(r => r.Attempts).SingleAsync(TestContext.Current.CancellationToken) >= 2);

        // And it can be rolled back completely.
        var rollback = await client.PostAsync(_app.BaseUrl + path + "/rollback", JsonContent(new { restoreChangedRecords = false }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
        await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("status").GetString() == "rolledBack", TimeSpan.FromMinutes(3));
        Assert.Equal(0, (await StateAsync(host, workspaceId)).Contacts);
    }

    [Fact]
    public async Task KillingTheAppMidRollback_WithADuplicateScanRunning_ResumesAfterTheRestart_AndReportsExactCounts()
    {
        const int existing = 12_000, total = 48_000;
        await using var host = await CrmTestHost.StartAsync(directory: _data);
        const long workspaceId = 1;
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await host.CreateApiKeyAsync(workspaceId));

        // 12,000 people exist; an import moves them to Shelbyville and brings 36,000 more. Neighbours share a phone,
        // so each scan finds 24,000 pairs to write while the rollback runs.
        await ImportAndWaitAsync(client, People(0, existing, "Springfield"));
        var path = await ImportAndWaitAsync(client, People(0, total, "Shelbyville"), """{"strategy":"update"}""");

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(_app!.BaseUrl + "/api/v1/duplicates/scan", null, TestContext.Current.CancellationToken)).StatusCode);
        var rollback = await client.PostAsync(_app.BaseUrl + path + "/rollback", JsonContent(new { restoreChangedRecords = false }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
        await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("rollbackRestored").GetInt32() + v.GetProperty("rollbackDeleted").GetInt32() >= 4_000);
        await _app.DisposeAsync();
        _app = null;

        // What the killed rollback committed is counted, exactly: restored records are back in Springfield, deleted ones gone.
        var (job, contacts, _) = await StateAsync(host, workspaceId, importIndex: 1);
        Assert.Equal(ImportStatus.RollingBack, job.Status);
        await using (var db = host.Database.Create(Actor.System(workspaceId)))
        {
            Assert.Equal(job.RollbackRestored, await db.Contacts.CountAsync(c => c.City == "Springfield", TestContext.Current.CancellationToken));
            Assert.Equal(total - job.RollbackDeleted, contacts);
        }
        Assert.True(job.RollbackRestored + job.RollbackDeleted is >= 4_000 and < total, $"{job.RollbackRestored} restored and {job.RollbackDeleted} deleted when the process died");

        // Started again, the app resumes the rollback after its last batch and finishes it.
        _app = await AppProcess.StartAsync("Crm.Web", _environment);
        var done = await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("status").GetString() == "rolledBack", TimeSpan.FromMinutes(3));
        Assert.Equal((total - existing, existing, 0),
            (done.GetProperty("rollbackDeleted").GetInt32(), done.GetProperty("rollbackRestored").GetInt32(), done.GetProperty("rollbackKeptChanged").GetInt32()));
        await using (var db = host.Database.Create(Actor.System(workspaceId)))
        {
            Assert.Equal(existing, await db.Contacts.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(existing, await db.Contacts.CountAsync(c => c.City == "Springfield", TestContext.Current.CancellationToken));
            var restores = await db.FieldChanges.CountAsync(f => f.SourceRef == "rollback:import:" + job.Id && f.Field == "City", TestContext.Current.CancellationToken);
            Assert.Equal(existing, restores);
        }
    }

    private static string People(int from, int to, string city)
    {
        var csv = new StringBuilder("First Name,Last Name,Email,Phone,City\n");
        for (var i = from; i < to; i++)
            csv.Append("Person,Number ").Append(i).Append(",person").Append(i).Append("@crash.example,+1 415 2").Append((i / 2).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(city).Append('\n');
        return csv.ToString();
    }

    /// <returns>The import's API path, once it completed.</returns>
    private async Task<string> ImportAndWaitAsync(HttpClient client, string csv, string? options = null)
    {
        var form = new MultipartFormDataContent { { new StringContent("contact"), "objectType" } };
        if (options is not null) form.Add(new StringContent(options), "options");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "people.csv");
        var started = await client.PostAsync(_app!.BaseUrl + "/api/v1/imports", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var path = started.Headers.Location!.OriginalString;
        var done = await WaitAsync(client, _app.BaseUrl + path, v => v.GetProperty("status").GetString() is not ("queued" or "running"), TimeSpan.FromMinutes(3));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        return path;
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<(ImportJob Job, int Contacts, int Distinct)> StateAsync(CrmTestHost host, long workspaceId, int importIndex = 0)
    {
        await using var db = host.Database.Create(Actor.System(workspaceId));
        var job = await db.ImportJobs.AsNoTracking().OrderBy(j => j.Id).Skip(importIndex).FirstAsync(TestContext.Current.CancellationToken);
        var contacts = await db.Contacts.CountAsync(TestContext.Current.CancellationToken);
        var distinct = await db.Contacts.Select(c => c.Email).Distinct().CountAsync(TestContext.Current.CancellationToken);
        return (job, contacts, distinct);
    }

    private static Task<JsonElement> WaitAsync(HttpClient client, string url, Func<JsonElement, bool> until, TimeSpan? timeout = null) =>
        RunWaiter.UntilAsync(client, url, until, timeout ?? TimeSpan.FromMinutes(2));
}
