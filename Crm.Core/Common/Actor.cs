using Crm.Core.Users;

namespace Crm.Core.Common;

/// <summary>Who or what is changing data.</summary>
public enum ChangeSource
{
    System = 0,
    User = 1,
    Api = 2,
    Import = 3,
    Sync = 4,
}

/// <summary>
/// The identity an operation runs under: its workspace, the user (if any), their role, and the channel
/// (UI, API, import, sync) that history records. Every database context is created for one actor.
/// </summary>
public sealed record Actor(long WorkspaceId, long? UserId, UserRole Role, ChangeSource Source, string? SourceRef = null)
{
    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>Background work inside one workspace (seeding, jobs) with full rights.</summary>
    public static Actor System(long workspaceId, ChangeSource source = ChangeSource.System, string? sourceRef = null) =>
        new(workspaceId, null, UserRole.Admin, source, sourceRef);

    /// <summary>No workspace: every workspace-owned query returns nothing and every insert is refused.</summary>
    public static Actor Anonymous { get; } = new(0, null, UserRole.Rep, ChangeSource.System);
}

/// <summary>Resolves the actor of the current request, circuit or job.</summary>
public interface ICurrentActor
{
    ValueTask<Actor> GetAsync(CancellationToken ct = default);
}

/// <summary>
/// An actor set explicitly for the current scope (background jobs, seeding). <see cref="ICurrentActor"/>
/// implementations return it before looking at any request or circuit.
/// </summary>
public sealed class ExplicitActor
{
    public Actor? Value { get; set; }
}
