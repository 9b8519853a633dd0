namespace Resolver.Core.Zones;

/// <summary>What a zone holds for a name (RFC 1034 §4.3.2 step 3).</summary>
public enum ZoneMatchKind
{
    /// <summary>The name exists (with data or as an empty non-terminal).</summary>
    Exact,

    /// <summary>The name does not exist but a wildcard at its closest encloser covers it (RFC 4592 §3.3).</summary>
    Wildcard,

    /// <summary>The name is at or below a zone cut: the answer is a referral.</summary>
    Delegation,

    /// <summary>The name does not exist and no wildcard covers it.</summary>
    NameError,
}

/// <summary>The outcome of <see cref="Zone.Match"/>: the kind and the node that answers (none for a name error).</summary>
public readonly record struct ZoneMatch(ZoneMatchKind Kind, ZoneNode? Node);
