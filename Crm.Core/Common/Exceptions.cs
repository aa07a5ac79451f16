namespace Crm.Core.Common;

/// <summary>The record does not exist in the caller's workspace (or was deleted). Deliberately says nothing more.</summary>
public sealed class NotFoundException(string what, object id)
    : Exception($"{what} {id} was not found.")
{
    public string What { get; } = what;
}

/// <summary>The record changed since the caller read it.</summary>
public sealed class ConcurrencyConflictException(string what, long id, int currentVersion)
    : Exception($"{what} {id} was changed by someone else (now at version {currentVersion}). Reload it and apply your change again.")
{
    public int CurrentVersion { get; } = currentVersion;
}

/// <summary>The caller's role does not allow the operation.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Input was refused; <see cref="Errors"/> maps a field (property name) to its messages.</summary>
public sealed class ValidationFailedException : Exception
{
    public ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
        : base("One or more fields are invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The request clashes with something already there (an id another record holds); nothing was changed.</summary>
public sealed class ConflictException(string message) : Exception(message);
