using Crm.Core.Common;

namespace Crm.Tests.TestSupport;

/// <summary>The actor a test runs use cases as; switch it to play another user or workspace.</summary>
public sealed class TestActor : ICurrentActor
{
    public Actor Current { get; set; } = Actor.Anonymous;

    public ValueTask<Actor> GetAsync(CancellationToken ct = default) => ValueTask.FromResult(Current);
}
