namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// A value that calls started inside a scope carry with them (an <see cref="AsyncLocal{T}"/> set and restored): how a
/// handler deep in a pipeline learns what an SDK that builds its own requests was calling for.
/// </summary>
public sealed class AmbientValue<T>
{
    private readonly AsyncLocal<T?> _value = new();

    public T? Value => _value.Value;

    /// <summary>Calls started until the returned scope is disposed see <paramref name="value"/>; then the previous value is back.</summary>
    public IDisposable Use(T value)
    {
        var previous = _value.Value;
        _value.Value = value;
        return new Restore(this, previous);
    }

    private sealed class Restore(AmbientValue<T> owner, T? previous) : IDisposable
    {
        public void Dispose() => owner._value.Value = previous;
    }
}
