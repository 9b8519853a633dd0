namespace Resolver.Core.Admission;

/// <summary>One access-list entry: an address range and what to do with clients in it ("10.0.0.0/8 allow").</summary>
public readonly record struct AccessRule(AddressPrefix Prefix, AccessAction Action)
{
    /// <summary>Parses "RANGE ACTION" with ACTION one of allow, refuse, drop (or Unbound's "deny" for drop).</summary>
    public static AccessRule Parse(string text)
    {
        if (!TryParse(text, out var rule, out var error))
            throw new FormatException(error);
        return rule;
    }

    public static bool TryParse(string? text, out AccessRule rule, out string error)
    {
        rule = default;
        var parts = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            error = $"access rule '{text}': expected 'RANGE ACTION', e.g. '10.0.0.0/8 allow' (actions: allow, refuse, drop)";
            return false;
        }
        if (!TryParseAction(parts[1], out var action))
        {
            error = $"access rule '{text}': unknown action '{parts[1]}' (expected allow, refuse or drop)";
            return false;
        }
        if (!AddressPrefix.TryParse(parts[0], out var prefix, out var prefixError))
        {
            error = $"access rule '{text}': {prefixError}";
            return false;
        }
        rule = new AccessRule(prefix, action);
        error = "";
        return true;
    }

    public static bool TryParseAction(string text, out AccessAction action)
    {
        switch (text.ToLowerInvariant())
        {
            case "allow":
                action = AccessAction.Allow;
                return true;
            case "refuse":
                action = AccessAction.Refuse;
                return true;
            case "drop":
            case "deny":
                action = AccessAction.Drop;
                return true;
            default:
                action = default;
                return false;
        }
    }

    public override string ToString() => Prefix.Text + " " + Action.ToString().ToLowerInvariant();
}
