namespace Crm.Infrastructure;

/// <summary>A configuration value the app cannot run with: it stops at start, naming the key and what it takes.</summary>
public sealed class SettingsProblem(string key, string message)
    : InvalidOperationException($"Configuration '{key}': {message} Set it in appsettings, user secrets or the environment ({key.Replace(":", "__", StringComparison.Ordinal)}).")
{
    public string Key { get; } = key;

    /// <summary>A folder the app must be able to write to (created when missing).</summary>
    public static void EnsureWritableFolder(string key, string path)
    {
        try
        {
            if (File.Exists(path)) throw new SettingsProblem(key, $"'{path}' is a file; it must be a folder.");
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SettingsProblem(key, $"the folder '{path}' cannot be created or written ({e.Message}).");
        }
    }
}
