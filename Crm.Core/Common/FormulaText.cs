namespace Crm.Core.Common;

/// <summary>
/// Text a spreadsheet would run as a formula: it starts with = + - @ tab CR LF NUL, or their full-width forms. Exports
/// prefix it with an apostrophe (OWASP's CSV injection defence); imports take that apostrophe off again, so a file
/// exported and imported back changes nothing.
/// </summary>
public static class FormulaText
{
    public const string Dangerous = "=+-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20";

    public static bool StartsDangerously(string text) => text.Length > 0 && Dangerous.Contains(text[0]);

    /// <summary>"=1+2" → "'=1+2": what a file meant for spreadsheets writes (exports, import error files).</summary>
    public static string Guard(string text) => StartsDangerously(text) ? "'" + text : text;

    /// <summary>"'=1+2" (as our exports write it) → "=1+2"; anything else unchanged.</summary>
    public static string Unguard(string text) => text.Length > 1 && text[0] == '\'' && Dangerous.Contains(text[1]) ? text[1..] : text;
}
