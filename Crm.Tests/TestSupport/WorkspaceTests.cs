namespace Crm.Tests.TestSupport;

/// <summary>
/// Tests that need one workspace (with its admin and default pipeline) on a fresh SQLite file — through the app's
/// import writer, or through <paramref name="writer"/> when a test runs once per write path.
/// </summary>
public abstract class WorkspaceTests(Type? writer = null) : IAsyncLifetime
{
    protected CrmTestHost Host { get; private set; } = default!;
    protected TestWorkspace Ws { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Host = await CrmTestHost.StartAsync(writer: writer);
        Ws = await Host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
