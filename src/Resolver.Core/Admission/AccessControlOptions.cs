namespace Resolver.Core.Admission;

/// <summary>Settings of the access list (suggested section <c>Resolver:AccessControl</c>).</summary>
public sealed class AccessControlOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Resolver:AccessControl";

    /// <summary>
    /// The ranges a resolver serves out of the box: loopback, RFC 1918 private networks, RFC 4193
    /// unique local addresses and link-local (RFC 3927, RFC 4291 §2.5.6). Never an open resolver
    /// by accident (RFC 5358 §4).
    /// </summary>
    public static IReadOnlyList<string> BuiltInRules { get; } =
    [
        "127.0.0.0/8 allow",
        "::1/128 allow",
        "10.0.0.0/8 allow",
        "172.16.0.0/12 allow",
        "192.168.0.0/16 allow",
        "169.254.0.0/16 allow",
        "fc00::/7 allow",
        "fe80::/10 allow",
    ];

    /// <summary>
    /// Extra rules, each "RANGE ACTION" ("10.1.0.0/16 refuse", "2001:db8::/32 allow", "192.0.2.7 drop").
    /// The rule with the longest matching prefix wins, whatever the order (as Unbound's access-control);
    /// a rule for the same range as a built-in or an earlier rule replaces it. Empty in code: the
    /// configuration binder appends to lists.
    /// </summary>
    public List<string> Rules { get; set; } = [];

    /// <summary>Whether <see cref="BuiltInRules"/> are in force beneath <see cref="Rules"/>.</summary>
    public bool UseBuiltInRules { get; set; } = true;

    /// <summary>What happens to a client no rule covers.</summary>
    public AccessAction DefaultAction { get; set; } = AccessAction.Refuse;

    /// <summary>Every problem with <see cref="Rules"/>, one message per bad rule (for options validation).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        for (int i = 0; i < Rules.Count; i++)
        {
            if (!AccessRule.TryParse(Rules[i], out _, out var error))
                errors.Add($"{SectionName}:Rules:{i}: {error}");
        }
        if (!Enum.IsDefined(DefaultAction))
            errors.Add($"{SectionName}:DefaultAction: '{DefaultAction}' is not allow, refuse or drop");
        return errors;
    }
}
