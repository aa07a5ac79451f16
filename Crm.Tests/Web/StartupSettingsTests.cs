using Crm.Infrastructure.Jobs;
using Crm.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Tests.Web;

/// <summary>A value the app cannot run with stops it at start with a message naming the key — never a surprise later.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Jobs:StaleAfter", "00:00:00", "Jobs:StaleAfter")]
    [InlineData("Jobs:WatchdogInterval", "-00:00:05", "Jobs:WatchdogInterval")]
    [InlineData("Jobs:DuplicateScanCron", "every night", "Jobs:DuplicateScanCron")]
    [InlineData("Jobs:Threads", "2", "Jobs:Threads")]
    [InlineData("Jobs:CpuHeavyRuns", "0", "Jobs:CpuHeavyRuns")]
    [InlineData("Authentication:Oidc:ClientId", "crm-web", "Authentication:Oidc:Authority")]
    [InlineData("Authentication:Oidc:Authority", "http://idp.example/", "Authentication:Oidc:ClientId")]
    [InlineData("DataProtection:CertificatePath", "/nowhere/keys.pfx", "DataProtection:CertificatePath")]
    [InlineData("DataProtection:KeyEncryptionKey", "c2hvcnQ=", "DataProtection:KeyEncryptionKey")]
    public void AWrongValue_StopsTheAppAtStart_NamingTheKey(string key, string value, string named)
    {
        using var factory = new CrmWebFactory(new Dictionary<string, string> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains($"Configuration '{named}'", error.ToString());
    }

    [Fact]
    public void OidcOverPlainHttp_IsRefused_UnlessHttpsMetadataIsTurnedOff()
    {
        using var plain = new CrmWebFactory(new Dictionary<string, string> { ["Authentication:Oidc:Authority"] = "http://idp.example/", ["Authentication:Oidc:ClientId"] = "crm" });
        Assert.Contains("must be https", Assert.ThrowsAny<Exception>(() => plain.CreateClient()).ToString());
    }

    [Fact]
    public void AFilesRootThatIsAFile_StopsTheAppAtStart()
    {
        var file = Path.Combine(TestPaths.NewTempDirectory("files-root"), "not-a-folder");
        File.WriteAllText(file, "x");
        using var factory = new CrmWebFactory(new Dictionary<string, string> { ["Files:Root"] = file });

        Assert.Contains("Configuration 'Files:Root'", Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString());
    }

    [Fact]
    public async Task ARunWithNoFreeSlot_WaitsWithoutHoldingAThread_AndRunsOnceOneIsFree()
    {
        await using var factory = new CrmWebFactory(new Dictionary<string, string> { ["Jobs:CpuHeavyRuns"] = "1" });
        var admin = await factory.ClientWithKeyAsync(factory.FirstWorkspaceId);
        var cpu = factory.Services.GetRequiredService<CpuHeavyRuns>();
        var held = await cpu.EnterAsync(TestContext.Current.CancellationToken);

        var form = new MultipartFormDataContent { { new StringContent("contact"), "objectType" } };
        form.Add(new ByteArrayContent("Email\nada@example.com\n"u8.ToArray()), "file", "people.csv");
        var started = await admin.PostAsync("/api/v1/imports", form, TestContext.Current.CancellationToken);
        var location = started.Headers.Location!.ToString();
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        Assert.Contains("\"status\":\"queued\"", await admin.GetStringAsync(location, TestContext.Current.CancellationToken));

        held.Dispose();
        await RunWaiter.UntilStatusAsync(admin, location, "completed");
    }

    [Fact]
    public async Task LongRuns_TakeAtMostTheirSlots_AndLeaveThreadsForShortWork()
    {
        await using var factory = new CrmWebFactory();
        _ = factory.CreateClient();
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        var metadata = await scheduler.GetMetadata(TestContext.Current.CancellationToken);
        var cpu = factory.Services.GetRequiredService<CpuHeavyRuns>();

        Assert.Equal(8, metadata.ThreadPoolSize);
        using (await cpu.EnterAsync(TestContext.Current.CancellationToken))
        using (await cpu.EnterAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(0, cpu.Free);
            var third = cpu.EnterAsync(TestContext.Current.CancellationToken);
            await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.False(third.IsCompleted);
        }
        Assert.True(cpu.Free >= 1);
    }
}
