namespace Resolver.Core.Pipeline;

/// <summary>
/// The one style for settings: every options type's <c>Validate()</c> returns the list of what is wrong, each entry
/// naming its key; the host reports them all at start (exit 78), and a stage built without the host throws them here.
/// </summary>
public static class SettingErrors
{
    /// <summary>Throws <see cref="ArgumentException"/> with every error, one per line, when there is any.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> errors, string paramName)
    {
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, errors), paramName);
    }
}
